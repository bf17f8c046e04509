import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baseMutants } from './base-mutants';
import { journalPath, type Mutant, runMutationCheck, type TestRunner } from './mutation-check';

const original = "export const escape = (text) => text.replace(/[<']/g, '');\n";
let packageDir: string;
let file: string;

beforeEach(() => {
  packageDir = mkdtempSync(path.join(tmpdir(), 'mutation-check-'));
  file = path.join(packageDir, 'src', 'escape.js');
  mkdirSync(path.dirname(file));
  writeFileSync(file, original);
});
afterEach(() => rmSync(packageDir, { recursive: true, force: true }));

const mutant = (overrides: Partial<Mutant> = {}): Mutant => ({
  id: 'escaping/quote',
  breaks: 'a quote is kept',
  file: 'src/escape.js',
  find: "/[<']/g",
  replace: '/[<]/g',
  tests: ['src/escape.test.js'],
  ...overrides,
});

/** Stands for the test files: they pass while the file still escapes `'`. */
const testsThatCheckTheQuote: TestRunner = async () => readFileSync(file, 'utf8').includes("<']");
/** Tests that check nothing. */
const testsThatCheckNothing: TestRunner = async () => true;

describe('runMutationCheck', () => {
  it('kills a mutant its tests catch, reverts it and scores it', async () => {
    const seen: string[] = [];
    const report = await runMutationCheck({
      packageDir,
      mutants: [mutant()],
      runTests: async (files) => {
        seen.push(readFileSync(file, 'utf8'));
        return testsThatCheckTheQuote(files);
      },
    });
    expect(report).toMatchObject({ ok: true, score: 1, baselineFailed: false });
    expect(report.results.map(({ outcome }) => outcome)).toEqual(['killed']);
    // The baseline ran on the original, the mutant's tests on the mutated file.
    expect(seen).toEqual([original, original.replace("/[<']/g", '/[<]/g')]);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('fails on a surviving mutant, and still reverts it', async () => {
    const report = await runMutationCheck({
      packageDir,
      mutants: [mutant()],
      runTests: testsThatCheckNothing,
    });
    expect(report.ok).toBe(false);
    expect(report.score).toBe(0);
    expect(report.results[0]?.outcome).toBe('survived');
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('fails on a mutant whose text is no longer found exactly once', async () => {
    const report = await runMutationCheck({
      packageDir,
      mutants: [mutant(), mutant({ id: 'gone', find: 'not in the file' })],
      runTests: testsThatCheckTheQuote,
    });
    expect(report.results.map(({ outcome }) => outcome)).toEqual(['killed', 'stale']);
    expect(report.ok).toBe(false);
    expect(report.score).toBe(0.5);
  });

  it('refuses to score when the tests fail without any mutation', async () => {
    const report = await runMutationCheck({
      packageDir,
      mutants: [mutant()],
      runTests: async () => false,
    });
    expect(report).toMatchObject({ ok: false, baselineFailed: true, results: [] });
  });

  it('reverts the file when the test run itself throws', async () => {
    let runs = 0;
    await expect(
      runMutationCheck({
        packageDir,
        mutants: [mutant()],
        runTests: async () => {
          runs += 1;
          if (runs > 1) {
            throw new Error('vitest crashed');
          }
          return true;
        },
      }),
    ).rejects.toThrow('vitest crashed');
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('restores a file an interrupted run left mutated, from its journal', async () => {
    writeFileSync(file, 'mutated');
    mkdirSync(path.dirname(journalPath(packageDir)), { recursive: true });
    writeFileSync(journalPath(packageDir), JSON.stringify({ file, original }));
    const lines: string[] = [];
    const report = await runMutationCheck({
      packageDir,
      mutants: [mutant()],
      runTests: testsThatCheckTheQuote,
      log: (line) => lines.push(line),
    });
    expect(lines[0]).toContain('left mutated by an interrupted run');
    expect(report.ok).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });
});

describe('the mutants of @idplug/base', () => {
  const baseDir = path.resolve(import.meta.dirname, '../../base');

  it('each find its text exactly once and name test files that exist', () => {
    for (const { id, file: target, find, tests } of baseMutants) {
      const text = readFileSync(path.join(baseDir, target), 'utf8');
      expect(text.split(find).length - 1, `${id} in ${target}`).toBe(1);
      for (const test of tests) {
        expect(() => readFileSync(path.join(baseDir, test)), `${id}: ${test}`).not.toThrow();
      }
    }
  });

  it('cover every guarantee the check is for', () => {
    const groups = new Set(baseMutants.map(({ id }) => id.split('/')[0]));
    expect([...groups].sort()).toEqual([
      'client-certificate',
      'crlf',
      'error-table',
      'escaping',
      'nonce',
      'pkce',
      'redaction',
    ]);
    expect(new Set(baseMutants.map(({ id }) => id)).size).toBe(baseMutants.length);
  });
});
