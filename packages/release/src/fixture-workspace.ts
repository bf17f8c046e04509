import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { run } from './command';
import { findRepositoryRoot } from './workspace';

/** Test support: a throwaway pnpm workspace with this repository's changesets configuration. */

export const repositoryRoot = findRepositoryRoot(import.meta.dirname);

export type FixturePackage = {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

export type FixtureWorkspace = {
  root: string;
  git: (...args: string[]) => Promise<string>;
  /** Writes `.changeset/<id>.md` and commits it with `subject` (and `author`, `Name <email>`). */
  commitChangeset: (
    id: string,
    content: string,
    subject: string,
    author?: string,
  ) => Promise<string>;
  /** The real `changeset version` of our devDependencies. */
  changesetVersion: () => Promise<string>;
  dispose: () => Promise<void>;
};

const changesetsCli = () => {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@changesets/cli/package.json')), 'bin.js');
};

export const createFixtureWorkspace = async (
  packages: readonly FixturePackage[],
): Promise<FixtureWorkspace> => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'idplug-release-fixture-'));
  const git = async (...args: string[]) => (await run('git', args, { cwd: root })).stdout.trim();
  await writeFile(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'fixture', private: true }, null, 2),
  );
  await writeFile(path.join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  await mkdir(path.join(root, '.changeset'));
  for (const file of ['config.json', 'changelog.cjs', 'README.md']) {
    await copyFile(
      path.join(repositoryRoot, '.changeset', file),
      path.join(root, '.changeset', file),
    );
  }
  for (const pkg of packages) {
    const directory = path.join(root, 'packages', pkg.name.replace(/^@[^/]+\//, ''));
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  }
  await git('init', '--quiet', '--initial-branch=main');
  await git('config', 'user.name', 'Fixture');
  await git('config', 'user.email', 'fixture@example.invalid');
  await git('config', 'commit.gpgsign', 'false');
  await git('add', '--all');
  await git('commit', '--quiet', '-m', 'Initial commit');

  return {
    root,
    git,
    commitChangeset: async (id, content, subject, author) => {
      await writeFile(path.join(root, '.changeset', `${id}.md`), content);
      await git('add', '.changeset');
      await git('commit', '--quiet', '-m', subject, ...(author ? [`--author=${author}`] : []));
      return git('rev-parse', 'HEAD');
    },
    changesetVersion: async () => {
      const { stdout, stderr } = await run(process.execPath, [changesetsCli(), 'version'], {
        cwd: root,
        env: { ...process.env, GITHUB_TOKEN: '' },
      });
      return `${stdout}${stderr}`;
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
};
