import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A small mutation check: each mutant is one hand-written change to product code that breaks a
 * guarantee (a redaction, an escape, a nonce or PKCE check, a CRLF refusal, a row of the error
 * table). The runner applies it, runs only the test files that guard it, and reverts it, always:
 * in a `finally`, on SIGINT/SIGTERM, at process exit, and from a journal on the next start if the
 * process was killed outright. A mutant the tests do not kill is a guarantee nothing checks.
 */

export type Mutant = {
  /** Short and stable: `redaction/access-token`. */
  id: string;
  /** What would break, in a sentence. */
  breaks: string;
  /** The file to mutate, relative to the package root. */
  file: string;
  /** Text that must occur exactly once in the file (so a refactor cannot make a mutant vanish). */
  find: string;
  replace: string;
  /** Test files (relative to the package root) expected to fail with the mutant in place. */
  tests: string[];
};

export type MutantOutcome = 'killed' | 'survived' | 'stale';

export type MutantResult = { mutant: Mutant; outcome: MutantOutcome; durationMs: number };

/** Runs test files in the package; resolves true when they pass. */
export type TestRunner = (files: readonly string[]) => Promise<boolean>;

type Journal = { file: string; original: string };

/** Where an interrupted run left what it must restore. */
export const journalPath = (packageDir: string) =>
  path.join(packageDir, 'node_modules', '.cache', 'idplug-mutations', 'journal.json');

/** Restores a file a killed run left mutated. Returns the restored path, if any. */
export const restoreFromJournal = (packageDir: string): string | undefined => {
  const journal = journalPath(packageDir);
  if (!existsSync(journal)) {
    return undefined;
  }
  const { file, original } = JSON.parse(readFileSync(journal, 'utf8')) as Journal;
  writeFileSync(file, original);
  rmSync(journal);
  return file;
};

const occurrences = (text: string, find: string) => text.split(find).length - 1;

/** The nearest `node_modules/.bin/vitest` from `directory` up (the workspace root holds it). */
const vitestBinary = (directory: string): string => {
  const candidate = path.join(directory, 'node_modules', '.bin', 'vitest');
  if (existsSync(candidate)) {
    return candidate;
  }
  const parent = path.dirname(directory);
  if (parent === directory) {
    throw new Error('vitest is not installed: run pnpm install');
  }
  return vitestBinary(parent);
};

/**
 * `vitest run <files>` in the package, one worker (the CI runner has two cores, shared). The
 * child is stopped when this process exits (a signal ends the check while a run is under way).
 */
export const vitestRunner =
  (packageDir: string): TestRunner =>
  (files) =>
    new Promise((resolve, reject) => {
      const child = spawn(
        vitestBinary(packageDir),
        ['run', '--bail=1', '--reporter=dot', '--maxWorkers=1', ...files],
        { cwd: packageDir, stdio: 'ignore', env: { ...process.env, FORCE_COLOR: '0' } },
      );
      const stop = () => child.kill('SIGTERM');
      process.once('exit', stop);
      child.on('error', (error) => {
        process.off('exit', stop);
        reject(error);
      });
      child.on('exit', (code) => {
        process.off('exit', stop);
        resolve(code === 0);
      });
    });

export type MutationCheckOptions = {
  packageDir: string;
  mutants: readonly Mutant[];
  runTests: TestRunner;
  log?: (line: string) => void;
};

export type MutationReport = {
  /** The guarding tests failed before any mutation: the score would mean nothing. */
  baselineFailed: boolean;
  results: MutantResult[];
  /** Killed mutants over all mutants, 0..1. */
  score: number;
  ok: boolean;
};

/**
 * Applies each mutant in turn, runs its tests and reverts it. Fails when the unmutated tests
 * fail, when a mutant's text is not found exactly once (stale), or when any mutant survives.
 */
export const runMutationCheck = async (options: MutationCheckOptions): Promise<MutationReport> => {
  const log = options.log ?? (() => undefined);
  const restored = restoreFromJournal(options.packageDir);
  if (restored) {
    log(`restored ${restored}, left mutated by an interrupted run`);
  }
  const allTests = [...new Set(options.mutants.flatMap((mutant) => mutant.tests))];
  if (!(await options.runTests(allTests))) {
    log('the guarding tests fail without any mutation; fix them first');
    return { baselineFailed: true, results: [], score: 0, ok: false };
  }

  let pending: Journal | undefined;
  const restorePending = () => {
    if (pending) {
      writeFileSync(pending.file, pending.original);
      rmSync(journalPath(options.packageDir), { force: true });
      pending = undefined;
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    restorePending();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', restorePending);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results: MutantResult[] = [];
  try {
    for (const mutant of options.mutants) {
      const started = performance.now();
      const file = path.resolve(options.packageDir, mutant.file);
      const original = readFileSync(file, 'utf8');
      if (occurrences(original, mutant.find) !== 1) {
        results.push({ mutant, outcome: 'stale', durationMs: 0 });
        log(`stale     ${mutant.id}: its text is not found exactly once in ${mutant.file}`);
        continue;
      }
      pending = { file, original };
      mkdirSync(path.dirname(journalPath(options.packageDir)), { recursive: true });
      writeFileSync(journalPath(options.packageDir), JSON.stringify(pending));
      writeFileSync(
        file,
        original.replace(mutant.find, () => mutant.replace),
      );
      let passed: boolean;
      try {
        passed = await options.runTests(mutant.tests);
      } finally {
        restorePending();
      }
      const outcome = passed ? 'survived' : 'killed';
      const durationMs = performance.now() - started;
      results.push({ mutant, outcome, durationMs });
      log(
        `${outcome.padEnd(9)} ${mutant.id} (${Math.round(durationMs / 100) / 10} s)${
          passed ? `: nothing fails when ${mutant.breaks}` : ''
        }`,
      );
    }
  } finally {
    restorePending();
    process.off('exit', restorePending);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const killed = results.filter(({ outcome }) => outcome === 'killed').length;
  const score = results.length === 0 ? 0 : killed / results.length;
  return {
    baselineFailed: false,
    results,
    score,
    ok: results.length > 0 && killed === results.length,
  };
};
