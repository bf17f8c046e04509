import { performance } from 'node:perf_hooks';
import { checkPackages } from './check-packages';
import { findRepositoryRoot, listWorkspacePackages } from './repository';

/** `pnpm check:packages`: every problem, grouped by package, and a non-zero exit when any. */
const main = async () => {
  const started = performance.now();
  const root = findRepositoryRoot();
  const problems = await checkPackages(root);
  const count = listWorkspacePackages(root).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (problems.length === 0) {
    process.stdout.write(`check:packages: ${count} packages consistent (${seconds} s).\n`);
    return;
  }
  let current = '';
  for (const problem of problems) {
    if (problem.package !== current) {
      current = problem.package;
      process.stderr.write(`\n${current}\n`);
    }
    process.stderr.write(`  - ${problem.message}\n`);
  }
  process.stderr.write(`\ncheck:packages: ${problems.length} problem(s) in ${count} packages.\n`);
  process.exitCode = 1;
};

main().catch((error: unknown) => {
  process.stderr.write(
    `check:packages: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
