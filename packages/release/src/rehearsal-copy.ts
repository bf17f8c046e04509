import { execFile } from 'node:child_process';
import { cp, lstat, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { run, runPnpm } from './command';
import type { RehearsalContext } from './rehearsal-context';
import type { Step } from './rehearsal-runner';

/** The rehearsal's first steps: a committed copy of the repository, installed from the lockfile. */

const execFileAsync = promisify(execFile);

export const git = (cwd: string, args: string[]) => run('git', args, { cwd });

/** Files of the working tree as git sees them: tracked plus untracked, minus ignored. */
const listRepositoryFiles = async (root: string) => {
  const { stdout } = await execFileAsync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  return [...new Set(stdout.split('\0').filter(Boolean))];
};

/** Copies the working tree (not node_modules, builds or .git) into `destination`. */
export const copyWorkingTree = async (root: string, destination: string) => {
  let copied = 0;
  for (const file of await listRepositoryFiles(root)) {
    const source = path.join(root, file);
    // A tracked file deleted in the working tree is still listed.
    const stat = await lstat(source).catch(() => undefined);
    if (!stat || stat.isDirectory()) {
      continue;
    }
    await mkdir(path.dirname(path.join(destination, file)), { recursive: true });
    await cp(source, path.join(destination, file), {
      verbatimSymlinks: true,
      preserveTimestamps: true,
    });
    copied += 1;
  }
  return copied;
};

/** Extracts the last commit's tree into `destination`. */
export const copyHead = async (root: string, destination: string) => {
  const archive = `${destination}.tar`;
  await run('git', ['archive', '--format=tar', '-o', archive, 'HEAD'], { cwd: root });
  await mkdir(destination, { recursive: true });
  await run('tar', ['-xf', archive, '-C', destination], { cwd: root });
  await rm(archive);
  const { stdout } = await execFileAsync('git', ['ls-tree', '-r', '--name-only', '-z', 'HEAD'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.split('\0').filter(Boolean).length;
};

export const copyStep: Step<RehearsalContext> = {
  name: 'copy',
  title: ({ source, repositoryRoot, copy }) =>
    `Copying ${source === 'head' ? 'the last commit' : 'the working tree'} of ${repositoryRoot} to ${copy}`,
  run: async ({ source, repositoryRoot, copy, log }) => {
    const fileCount = await (source === 'head' ? copyHead : copyWorkingTree)(repositoryRoot, copy);
    await git(copy, ['init', '--quiet', '--initial-branch=main']);
    await git(copy, ['config', 'user.name', 'idplug release rehearsal']);
    await git(copy, ['config', 'user.email', 'release-rehearsal@idplug.invalid']);
    await git(copy, ['config', 'commit.gpgsign', 'false']);
    await git(copy, ['add', '--all']);
    await git(copy, [
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      'Snapshot of the working tree for the release rehearsal',
    ]);
    log(`  ${fileCount} files`);
  },
};

export const installStep: Step<RehearsalContext> = {
  name: 'install',
  title: 'Installing dependencies (pnpm install --frozen-lockfile --prefer-offline)',
  run: async (context) => {
    const { copy, baseEnvironment } = context;
    await runPnpm(['install', '--frozen-lockfile', '--prefer-offline'], {
      cwd: copy,
      env: baseEnvironment,
    });
    context.uplink = (
      await runPnpm(['config', 'get', 'registry'], { cwd: copy, env: baseEnvironment })
    ).stdout.trim();
  },
};
