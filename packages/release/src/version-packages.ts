import path from 'node:path';
import { writeBundledReleaseChangesets } from './bundled-dependents';
import { runPnpm } from './command';
import { listWorkspacePackages } from './workspace';

/**
 * `pnpm version-packages`, what the release workflow's version PR runs:
 * 1. adds a patch changeset for every package that bundles a library a pending changeset releases
 *    (see bundled-dependents.ts: changesets ignores devDependencies);
 * 2. `changeset version`: bumps versions, writes CHANGELOG.md files, deletes the changesets;
 * 3. `biome format --write` on every package.json: changesets rewrites them with JSON.stringify,
 *    spreading the one-line arrays our formatter keeps, and the version PR must pass `pnpm lint`;
 * 4. `pnpm install --lockfile-only`: brings pnpm-lock.yaml in line with the new versions, so the
 *    version PR passes `pnpm install --frozen-lockfile`.
 */
export const versionPackages = async (root: string, { echo = true } = {}) => {
  const added = await writeBundledReleaseChangesets(root);
  for (const changeset of added) {
    console.log(
      `version-packages: ${changeset.source} releases ${changeset.library}, bundled by ${changeset.releases
        .map(({ name }) => name)
        .join(', ')}: wrote .changeset/${changeset.id}.md (patch)`,
    );
  }
  await runPnpm(['exec', 'changeset', 'version'], { cwd: root, echo });
  const manifests = (await listWorkspacePackages(root)).map(({ directory }) =>
    path.relative(root, path.join(directory, 'package.json')),
  );
  await runPnpm(['exec', 'biome', 'format', '--write', ...manifests], { cwd: root, echo });
  await runPnpm(['install', '--lockfile-only'], { cwd: root, echo });
  return added;
};
