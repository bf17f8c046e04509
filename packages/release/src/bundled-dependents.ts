import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import parseChangeset from '@changesets/parse';
import type { Release, VersionType } from '@changesets/types';
import { listWorkspacePackages, type WorkspacePackage } from './workspace';

/**
 * Changesets bumps a package when a package in its `dependencies` or `peerDependencies` is bumped,
 * never for `devDependencies`. Our connectors take `@idplug/base` as a devDependency because they
 * bundle it into `lib/index.js` (Logto installs nothing next to a connector): a change to base
 * changes every connector's published file, so every connector must be republished. Before
 * `changeset version`, this adds a patch changeset for the bundling packages of each pending
 * changeset that releases a bundled library.
 */

/** Workspace libraries that public packages bundle (take as a devDependency) instead of depending on. */
export const bundledLibraries = ['@idplug/base'] as const;

/** Public packages that bundle `library`: it is among their devDependencies. Sorted by name. */
export const findBundlingDependents = (
  packages: readonly WorkspacePackage[],
  library: string,
): string[] =>
  packages
    .filter((pkg) => !pkg.private && pkg.name !== library && library in pkg.devDependencies)
    .map((pkg) => pkg.name)
    .sort();

export type PendingChangeset = {
  /** The file name without `.md`, as changesets names it. */
  id: string;
  summary: string;
  releases: Release[];
};

export type BundledReleaseChangeset = PendingChangeset & {
  /** The changeset whose library release caused this one. */
  source: string;
  library: string;
};

/** The id of the changeset generated for `sourceId`: recognisable, and stable across runs. */
export const bundledChangesetId = (sourceId: string) => `${sourceId}-bundled`;

const isGenerated = (id: string) => id.endsWith('-bundled');

const bumps: readonly VersionType[] = ['patch', 'minor', 'major'];

const overrideLine = /^\s*(?:pr|pull|pull\s+request|commit|author|user):.*$/gim;

/**
 * The changesets to add for `pending`: for each changeset that releases a bundled library, one
 * patch changeset for every bundling package it does not already release. Its summary names the
 * library and repeats the first line of the source's summary, and carries the source's commit (and
 * its `pr:` / `author:` lines) so the connector's changelog links to the change that caused it.
 */
export const planBundledReleases = (
  pending: readonly PendingChangeset[],
  packages: readonly WorkspacePackage[],
  commitsOfChangesets: ReadonlyMap<string, string> = new Map(),
): BundledReleaseChangeset[] => {
  const planned: BundledReleaseChangeset[] = [];
  for (const changeset of pending) {
    if (isGenerated(changeset.id)) {
      continue;
    }
    for (const library of bundledLibraries) {
      const release = changeset.releases.find(({ name }) => name === library);
      if (!release || !bumps.includes(release.type)) {
        continue;
      }
      const alreadyReleased = new Set(
        changeset.releases.filter(({ type }) => bumps.includes(type)).map(({ name }) => name),
      );
      const dependents = findBundlingDependents(packages, library).filter(
        (name) => !alreadyReleased.has(name),
      );
      if (dependents.length === 0) {
        continue;
      }
      const overrides = changeset.summary.match(overrideLine)?.map((line) => line.trim()) ?? [];
      const commit = commitsOfChangesets.get(changeset.id);
      if (commit && !overrides.some((line) => /^commit:/i.test(line))) {
        overrides.push(`commit: ${commit}`);
      }
      const firstLine =
        changeset.summary.replace(overrideLine, '').trim().split('\n')[0]?.trim() ?? '';
      const text = `Bundles the updated \`${library}\`${firstLine ? `: ${firstLine}` : '.'}`;
      planned.push({
        id: bundledChangesetId(changeset.id),
        source: changeset.id,
        library,
        summary: [...overrides, '', text].join('\n').trim(),
        releases: dependents.map((name) => ({ name, type: 'patch' })),
      });
    }
  }
  return planned;
};

/** A changeset file as `@changesets/write` lays it out. */
export const formatChangeset = ({
  releases,
  summary,
}: Pick<PendingChangeset, 'releases' | 'summary'>) =>
  `---\n${releases.map(({ name, type }) => `"${name}": ${type}`).join('\n')}\n---\n\n${summary.trim()}\n`;

/** Pending changesets of `<root>/.changeset`, parsed with changesets' own parser. */
export const readPendingChangesets = async (root: string): Promise<PendingChangeset[]> => {
  const directory = path.join(root, '.changeset');
  const files = (await readdir(directory))
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const { summary, releases } = parseChangeset(
        await readFile(path.join(directory, file), 'utf8'),
      );
      return { id: file.slice(0, -'.md'.length), summary, releases };
    }),
  );
};

const execFileAsync = promisify(execFile);

/**
 * The commit that added each changeset, as changesets finds it for the changelog (`git log
 * --diff-filter=A`). Missing for a changeset not committed yet, or outside a git repository.
 */
export const findCommitsOfChangesets = async (root: string, ids: readonly string[]) => {
  const commits = new Map<string, string>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        const { stdout } = await execFileAsync(
          'git',
          ['log', '--diff-filter=A', '--max-count=1', '--format=%H', '--', `.changeset/${id}.md`],
          { cwd: root },
        );
        if (/^[0-9a-f]{40}$/.test(stdout.trim())) {
          commits.set(id, stdout.trim());
        }
      } catch {
        // Not a git repository: the changelog goes without the commit link.
      }
    }),
  );
  return commits;
};

/**
 * Writes the planned bundled-release changesets into `<root>/.changeset` and returns them. Running
 * it again writes the same files (ids are derived from the source changesets), so a retried
 * `version-packages` does not double the entries.
 */
export const writeBundledReleaseChangesets = async (
  root: string,
): Promise<BundledReleaseChangeset[]> => {
  const [pending, packages] = await Promise.all([
    readPendingChangesets(root),
    listWorkspacePackages(root),
  ]);
  const commits = await findCommitsOfChangesets(
    root,
    pending.map(({ id }) => id),
  );
  const planned = planBundledReleases(pending, packages, commits);
  for (const changeset of planned) {
    await writeFile(
      path.join(root, '.changeset', `${changeset.id}.md`),
      formatChangeset(changeset),
    );
  }
  return planned;
};
