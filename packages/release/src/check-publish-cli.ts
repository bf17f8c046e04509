import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runPnpm } from './command';
import { checkTarball, describeChecks } from './publish-checks';
import { findRepositoryRoot, listWorkspacePackages } from './workspace';

/**
 * `pnpm check:publish`: packs every public package with `pnpm pack` (as `pnpm publish` would) and
 * runs publint on each tarball and attw on the libraries'. Needs a build (`pnpm build`) first; the
 * release rehearsal runs the same checks on the tarballs it publishes.
 */
const root = findRepositoryRoot(process.cwd());
const destination = await mkdtemp(path.join(os.tmpdir(), 'idplug-check-publish-'));
try {
  const packages = (await listWorkspacePackages(root)).filter((pkg) => !pkg.private);
  const unbuilt = packages.filter((pkg) => !existsSync(path.join(pkg.directory, 'lib')));
  if (unbuilt.length > 0) {
    throw new Error(
      `Not built: ${unbuilt.map(({ name }) => name).join(', ')}. Run \`pnpm build\` first.`,
    );
  }
  const checks = await Promise.all(
    packages.map(async (pkg) => {
      const { stdout } = await runPnpm(['pack', '--pack-destination', destination, '--json'], {
        cwd: pkg.directory,
      });
      const { filename } = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { filename: string };
      return checkTarball(path.resolve(pkg.directory, filename));
    }),
  );
  const report = describeChecks(checks);
  if (report) {
    console.log(report);
  }
  const failed = checks.filter(({ problems }) => problems.length > 0);
  console.log(
    `check:publish: ${checks.length} packages packed; publint on all, attw on ${checks
      .filter(({ typesChecked }) => typesChecked)
      .map(({ name }) => name)
      .join(', ')}`,
  );
  console.log(`check:publish: ${checks.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) {
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await rm(destination, { recursive: true, force: true });
}
