import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runPnpm } from './command';
import { type RehearsalContext, required } from './rehearsal-context';
import { git } from './rehearsal-copy';
import type { Step } from './rehearsal-runner';
import { listWorkspacePackages, type WorkspacePackage } from './workspace';

/** A pending changeset, then `pnpm version-packages` as the Version Packages pull request runs it. */

export const githubRepository = 'idplug/idplug';
export const sampleChangesetId = 'release-rehearsal-sample';
export const samplePullRequest = 1;

export const compareVersions = (a: string, b: string) => {
  const parse = (version: string) => version.split(/[.+-]/).slice(0, 3).map(Number);
  const [x, y] = [parse(a), parse(b)];
  for (let index = 0; index < 3; index += 1) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
};

export const versionOf = (packages: readonly WorkspacePackage[], name: string) =>
  packages.find((pkg) => pkg.name === name)?.version;

/** The error message of a command that must succeed for the check that follows, or ''. */
const failureOf = (command: Promise<unknown>) =>
  command.then(
    () => '',
    (error: Error) => error.message,
  );

export const changesetStep: Step<RehearsalContext> = {
  name: 'changeset',
  title: 'Writing a sample changeset: @idplug/base, patch',
  run: async (context) => {
    const { copy } = context;
    await writeFile(
      path.join(copy, '.changeset', `${sampleChangesetId}.md`),
      '---\n"@idplug/base": patch\n---\n\nRelease rehearsal: a sample patch of the shared base package.\n',
    );
    await git(copy, ['add', '.changeset']);
    await git(copy, [
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      `Rehearse a patch of @idplug/base (#${samplePullRequest})`,
    ]);
    context.sampleCommit = (await git(copy, ['rev-parse', 'HEAD'])).stdout.trim();
  },
};

/** Each bumped package has a changelog entry linking the sample's commit and pull request. */
const checkChangelogs = async (context: RehearsalContext, after: WorkspacePackage[]) => {
  const { copy, check } = context;
  const before = required(context.before, 'the workspace before versioning');
  const sampleCommit = required(context.sampleCommit, 'the sample commit');
  const commitLink = `https://github.com/${githubRepository}/commit/${sampleCommit}`;
  const pullLink = `https://github.com/${githubRepository}/pull/${samplePullRequest}`;
  for (const name of ['@idplug/base', ...required(context.baseDependents, 'base dependents')]) {
    const from = versionOf(before, name) ?? '?';
    const to = versionOf(after, name) ?? '?';
    check(
      compareVersions(to, from) > 0,
      `${name} bumped ${from} -> ${to}${name === '@idplug/base' ? '' : ' (bundles @idplug/base)'}`,
    );
    const directory = after.find((pkg) => pkg.name === name)?.directory ?? '';
    const changelog = await readFile(path.join(directory, 'CHANGELOG.md'), 'utf8').catch(() => '');
    const entry = changelog.split(/^## /m).find((section) => section.startsWith(`${to}\n`)) ?? '';
    check(
      entry.includes(commitLink) && entry.includes(pullLink),
      `${path.relative(copy, directory)}/CHANGELOG.md has a ${to} entry linking the commit and pull request`,
      changelog.slice(0, 1500),
    );
    if (name !== '@idplug/base') {
      check(
        entry.includes('Bundles the updated `@idplug/base`'),
        `${name}'s entry says it bundles the new @idplug/base`,
        entry,
      );
    }
  }
};

export const versionStep: Step<RehearsalContext> = {
  name: 'version',
  title: 'pnpm version-packages',
  run: async (context) => {
    const { copy, check } = context;
    const environment = required(context.environment, 'the registry environment');
    await runPnpm(['version-packages'], { cwd: copy, env: environment });
    const after = await listWorkspacePackages(copy);
    context.after = after;
    const pendingAfter = (await readdir(path.join(copy, '.changeset'))).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    check(pendingAfter.length === 0, 'every changeset was consumed', pendingAfter.join(', '));
    await checkChangelogs(context, after);

    // What the version pull request must pass in CI besides the tests.
    const changedManifests = (
      await git(copy, ['diff', '--name-only', '--', '*package.json'])
    ).stdout
      .split('\n')
      .filter(Boolean);
    const formatting = await failureOf(
      runPnpm(['exec', 'biome', 'format', ...changedManifests], { cwd: copy, env: environment }),
    );
    check(
      formatting === '',
      `the ${changedManifests.length} versioned package.json files are formatted as biome wants`,
      formatting,
    );
    const frozenInstall = await failureOf(
      runPnpm(['install', '--frozen-lockfile', '--prefer-offline'], {
        cwd: copy,
        env: environment,
      }),
    );
    check(
      frozenInstall === '',
      'pnpm install --frozen-lockfile accepts the versioned lockfile',
      frozenInstall,
    );
    await git(copy, ['add', '--all']);
    await git(copy, ['commit', '--quiet', '--no-verify', '-m', 'Version Packages']);
  },
};
