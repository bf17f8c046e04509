import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseMutants } from './base-mutants';
import { runMutationCheck, vitestRunner } from './mutation-check';

/**
 * `pnpm --filter @idplug/base test:mutations`: applies each of `baseMutants` to @idplug/base,
 * runs the test files guarding it, reverts it, prints the score and fails on any survivor.
 * `--only <id-prefix>` runs a subset.
 */

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../base');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
const mutants = only ? baseMutants.filter(({ id }) => id.startsWith(only)) : baseMutants;

const started = performance.now();
const report = await runMutationCheck({
  packageDir,
  mutants,
  runTests: vitestRunner(packageDir),
  log: (line) => console.log(line),
});

const killed = report.results.filter(({ outcome }) => outcome === 'killed').length;
console.log(
  `\nmutation score of @idplug/base: ${killed}/${report.results.length} killed (${Math.round(
    report.score * 100,
  )}%) in ${Math.round((performance.now() - started) / 1000)} s`,
);
for (const { mutant, outcome } of report.results) {
  if (outcome !== 'killed') {
    console.error(`${outcome}: ${mutant.id} in ${mutant.file}: ${mutant.breaks}`);
  }
}
process.exitCode = report.ok ? 0 : 1;
