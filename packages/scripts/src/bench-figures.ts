import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ReadmeResult } from './docs';

/**
 * Benchmark figures in READMEs come from `packages/bench/RESULTS.md` (written by `pnpm bench`),
 * never by hand: `pnpm docs` copies it into each section marked
 * `<!-- generated:bench-results [prefix] -->` ... `<!-- /generated:bench-results -->` (with a
 * prefix, only the table rows whose benchmark starts with it), and `pnpm docs --check` fails when
 * a section is stale or when a README's benchmark section holds a number RESULTS.md does not.
 */

export const benchResultsPath = (root: string) =>
  path.join(root, 'packages', 'bench', 'RESULTS.md');

const sectionPattern =
  /<!-- generated:bench-results(?: ([^>]*?))? -->\n[\s\S]*?<!-- \/generated:bench-results -->/g;
const anySectionStart = '<!-- generated:bench-results';

/** RESULTS.md without its leading "written by" comment. */
export const benchResultsBody = (results: string): string =>
  results.replace(/^<!--[\s\S]*?-->\s*/, '').trim();

/** The section's content: all of RESULTS.md, or its summary line and the rows of one benchmark. */
export const renderBenchSection = (results: string, prefix?: string): string => {
  const body = benchResultsBody(results);
  if (!prefix) {
    return body;
  }
  const lines = body.split('\n');
  const summary = lines.find((line) => line.startsWith('Measured '));
  const tableStart = lines.findIndex((line) => line.startsWith('| Benchmark |'));
  if (!summary || tableStart < 0) {
    throw new Error('RESULTS.md has no "Measured ..." line or no results table');
  }
  const header = lines.slice(tableStart, tableStart + 2);
  const rows = lines.slice(tableStart + 2).filter((line) => line.startsWith(`| ${prefix}`));
  if (rows.length === 0) {
    throw new Error(`RESULTS.md has no row for "${prefix}"`);
  }
  return [summary, '', ...header, ...rows].join('\n');
};

/** The README with every bench-results section regenerated from `results`. */
export const replaceBenchSections = (readme: string, results: string): string =>
  readme.replace(
    sectionPattern,
    (_section, prefix: string | undefined) =>
      `<!-- generated:bench-results${prefix ? ` ${prefix}` : ''} -->\n${renderBenchSection(
        results,
        prefix,
      )}\n<!-- /generated:bench-results -->`,
  );

const numbersIn = (text: string): string[] =>
  [...text.matchAll(/\d+(?:[.,]\d+)*/g)].map(([number]) => number.replace(/,/g, ''));

/** The text under a `## Benchmark(s)` heading, up to the next heading of that level or higher. */
const benchmarkSection = (readme: string): string | undefined => {
  const match = /^(#{2,3}) Benchmarks?\b.*$/m.exec(readme);
  if (!match) {
    return undefined;
  }
  const level = match[1]?.length ?? 2;
  const rest = readme.slice(match.index + match[0].length);
  const next = new RegExp(`^#{1,${level}} `, 'm').exec(rest);
  return next ? rest.slice(0, next.index) : rest;
};

/**
 * Numbers written by hand in a README's benchmark section (outside the generated sections) that
 * RESULTS.md does not hold: a figure pasted from another run, or made up.
 */
export const figuresMissingFromResults = (readme: string, results: string): string[] => {
  const section = benchmarkSection(readme);
  if (!section) {
    return [];
  }
  const handWritten = section.replace(sectionPattern, '');
  const known = new Set(numbersIn(benchResultsBody(results)));
  return [...new Set(numbersIn(handWritten).filter((number) => !known.has(number)))];
};

/** Every README that shows benchmark figures: the root one and the packages' that have a section. */
export const readmesWithBenchmarks = (root: string): string[] =>
  [
    path.join(root, 'README.md'),
    ...readdirSync(path.join(root, 'packages')).map((folder) =>
      path.join(root, 'packages', folder, 'README.md'),
    ),
  ].filter((file) => {
    if (!existsSync(file)) {
      return false;
    }
    const readme = readFileSync(file, 'utf8');
    return readme.includes(anySectionStart) || benchmarkSection(readme) !== undefined;
  });

/** Regenerates (or, with `check`, only compares) one README's benchmark figures. */
export const updateBenchFigures = (
  readmePath: string,
  results: string,
  { check = false }: { check?: boolean } = {},
): ReadmeResult => {
  const directory = path.dirname(readmePath);
  try {
    const readme = readFileSync(readmePath, 'utf8');
    const pasted = figuresMissingFromResults(readme, results);
    if (pasted.length > 0) {
      return {
        directory,
        status: 'error',
        message: `its benchmark section holds figures that packages/bench/RESULTS.md does not (${pasted.join(', ')}): put them in a generated:bench-results section instead of writing them by hand`,
      };
    }
    const updated = replaceBenchSections(readme, results);
    if (updated === readme) {
      return { directory, status: 'up-to-date' };
    }
    if (check) {
      return {
        directory,
        status: 'outdated',
        message: 'its benchmark figures differ from packages/bench/RESULTS.md',
      };
    }
    writeFileSync(readmePath, updated);
    return { directory, status: 'updated' };
  } catch (error: unknown) {
    return {
      directory,
      status: 'error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
};
