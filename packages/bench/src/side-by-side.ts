import { median, type ResultRow } from './results';

/**
 * The part the sign-in and send benchmarks share: run idplug's connector and the official one
 * one operation at a time on one warm process, alternating who goes first (so drift in a shared
 * machine's load hits both), then turn the samples into result rows (medians).
 */

export type Side = 'idplug' | 'official';

export type Sample = { ms: number; requests: number; connections: number; requestLines: string[] };

export type Contender<Connector> = { scenario: string; side: Side; connector: Connector };

export const runAlternating = async <Connector>(
  contenders: readonly Contender<Connector>[],
  { warmup, runs }: { warmup: number; runs: number },
  operate: (contender: Contender<Connector>) => Promise<Sample>,
): Promise<Map<Contender<Connector>, Sample[]>> => {
  const samples = new Map<Contender<Connector>, Sample[]>();
  for (const contender of contenders) {
    samples.set(contender, []);
    // Warm: modules loaded, JIT warm, connections open, caches (JWKS, discovery) filled where a
    // connector has them.
    for (let index = 0; index < warmup; index += 1) {
      await operate(contender);
    }
  }
  for (let run = 0; run < runs; run += 1) {
    const order = run % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      samples.get(contender)?.push(await operate(contender));
    }
  }
  return samples;
};

/** Rows of one scenario: wall time, HTTP requests and new connections per operation. */
export const sideBySideRows = <Connector>(
  samples: Map<Contender<Connector>, Sample[]>,
  scenario: string,
  { benchmark, operation, timeNote }: { benchmark: string; operation: string; timeNote: string },
): ResultRow[] => {
  const [ours, theirs] = (['idplug', 'official'] as const).map(
    (side) =>
      [...samples].find(
        ([contender]) => contender.scenario === scenario && contender.side === side,
      )?.[1] ?? [],
  ) as [Sample[], Sample[]];
  const metrics = [
    { metric: `wall time per ${operation}`, unit: 'ms', pick: (s: Sample) => s.ms },
    { metric: `HTTP requests per ${operation}`, unit: 'requests', pick: (s: Sample) => s.requests },
    {
      metric: `new connections per ${operation}`,
      unit: 'connections',
      pick: (s: Sample) => s.connections,
    },
  ];
  return metrics.map(({ metric, unit, pick }) => ({
    benchmark,
    metric,
    unit,
    idplug: median(ours.map(pick)),
    official: median(theirs.map(pick)),
    ...(unit === 'ms' && { note: timeNote }),
  }));
};

/** Prints the medians and the requests of the last operation of each side. */
export const printSummary = <Connector>(
  scenarios: readonly string[],
  samples: Map<Contender<Connector>, Sample[]>,
  rows: readonly ResultRow[],
): void => {
  for (const scenario of scenarios) {
    console.log(`${scenario}, requests of one warm operation:`);
    for (const [contender, list] of samples) {
      if (contender.scenario === scenario) {
        console.log(`  ${contender.side.padEnd(9)} ${list.at(-1)?.requestLines.join(', ')}`);
      }
    }
  }
  const summary: Record<string, Record<string, string | number>> = {};
  for (const row of rows) {
    summary[`${row.benchmark}: ${row.metric}`] = {
      idplug: Number(row.idplug.toFixed(1)),
      official: Number(row.official.toFixed(1)),
      'ratio idplug/official':
        row.official === 0 ? '—' : Number((row.idplug / row.official).toFixed(2)),
    };
  }
  console.table(summary);
};
