import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * How the parts of `pnpm bench` hand their figures to the combined table: each part (SMTP,
 * OIDC/Google sign-in, load) runs in its own process and, at its end, calls `writePartResults`
 * with its rows; `src/bench.ts` runs every part, then prints ONE table from these files and
 * writes it to RESULTS.md. A part run on its own still prints its own detailed output.
 *
 * The files are committed: `pnpm bench --only smtp` re-runs one part and rebuilds the table with
 * the other parts' last figures, each with the date and load average it was measured at.
 *
 * Rows compare idplug with the official connector on one metric; the ratio is idplug / official
 * (below 1 = idplug needs less of it; for a "higher is better" metric such as messages/s, say so
 * with `better: 'higher'`).
 */

export type ResultRow = {
  /** e.g. "OIDC sign-in (warm, 20 ms RTT)" */
  benchmark: string;
  /** e.g. "wall time per sign-in" */
  metric: string;
  unit: string;
  idplug: number;
  official: number;
  /** @default 'lower' */
  better?: 'lower' | 'higher';
  /** Anything a reader needs to read the row right (how many runs, what was counted). */
  note?: string;
};

export type PartResults = {
  part: string;
  /** How the figures were taken: repetitions, median of what, machine notes. */
  method: string;
  rows: ResultRow[];
  /** When and how busy: filled in by `writePartResults`. */
  measured?: { date: string; loadAverage: number };
};

// This module is imported as a part starts, so this is the machine's load when it started.
const loadAtStart = os.loadavg()[0] ?? 0;

export const resultsDirectory = fileURLToPath(new URL('../results/', import.meta.url));

export const writePartResults = (results: PartResults): void => {
  mkdirSync(resultsDirectory, { recursive: true });
  writeFileSync(
    new URL(`${results.part}.json`, `file://${resultsDirectory}`),
    `${JSON.stringify(
      {
        ...results,
        measured: results.measured ?? {
          date: new Date().toISOString().slice(0, 10),
          loadAverage: Number(loadAtStart.toFixed(1)),
        },
      },
      null,
      2,
    )}\n`,
  );
};

export const readPartResults = (part: string): PartResults | undefined => {
  try {
    return JSON.parse(
      readFileSync(new URL(`${part}.json`, `file://${resultsDirectory}`), 'utf8'),
    ) as PartResults;
  } catch {
    return undefined;
  }
};

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
