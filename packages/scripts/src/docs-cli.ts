import { readFileSync } from 'node:fs';
import path from 'node:path';
import { benchResultsPath, readmesWithBenchmarks, updateBenchFigures } from './bench-figures';
import {
  type ReadmeResult,
  templateNames,
  updateConnectorReadme,
  updateTemplateReadme,
} from './docs';
import { findRepositoryRoot, listConnectorPackages } from './repository';

/**
 * `pnpm run docs` regenerates the configuration table of every connector README (and of every
 * template's) and the benchmark figures copied from packages/bench/RESULTS.md; `pnpm run docs
 * --check` (CI) only compares and fails when one is out of date. Folder arguments
 * (`connector-acme`, `templates/social`) limit the run to those.
 */
const main = async () => {
  const check = process.argv.includes('--check');
  const only = process.argv
    .slice(2)
    .filter((argument) => !argument.startsWith('--'))
    .map((argument) => argument.replace(/^packages\//, '').replace(/\/$/, ''));
  const wanted = (folder: string) => only.length === 0 || only.includes(folder);
  const root = findRepositoryRoot();
  const results: ReadmeResult[] = [];
  for (const { folder, directory } of listConnectorPackages(root)) {
    if (wanted(folder)) {
      results.push(await updateConnectorReadme(directory, { check }));
    }
  }
  for (const template of templateNames(root)) {
    if (wanted(`templates/${template}`)) {
      results.push(await updateTemplateReadme(root, template, { check }));
    }
  }
  const benchResults = readFileSync(benchResultsPath(root), 'utf8');
  for (const readme of readmesWithBenchmarks(root)) {
    const folder = path.relative(path.join(root, 'packages'), path.dirname(readme));
    if (only.length === 0 || only.includes(folder)) {
      results.push(updateBenchFigures(readme, benchResults, { check }));
    }
  }
  let failed = 0;
  for (const result of results) {
    const where = path.relative(root, path.join(result.directory, 'README.md'));
    if (result.status === 'updated') {
      process.stdout.write(`updated ${where}\n`);
    } else if (result.status !== 'up-to-date') {
      failed += 1;
      process.stderr.write(`${where}: ${result.message}\n`);
    }
  }
  if (failed > 0) {
    process.stderr.write(
      check
        ? `\n${failed} README(s) out of date or broken: run \`pnpm run docs\` and commit.\n`
        : `\n${failed} README(s) could not be generated.\n`,
    );
    process.exitCode = 1;
  } else {
    process.stdout.write(`${results.length} README(s) ${check ? 'up to date' : 'generated'}.\n`);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`docs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
