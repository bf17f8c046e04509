import { parseArgs } from 'node:util';
import type { AllConnector, CreateConnector } from '@logto/connector-kit';
import { type ProviderStub, type StubRoute, startProviderStub } from './provider-stub';
import { median, type ResultRow, writePartResults } from './results';

/**
 * What the sign-in and send benchmarks share: run idplug's connector and the official one one
 * operation at a time on one warm process, against the provider stub, alternating who goes first
 * (so drift in a shared machine's load hits both), then turn the samples into result rows
 * (medians) and hand them to `pnpm bench`.
 */

export type Side = 'idplug' | 'official';

export type Sample = { ms: number; requests: number; connections: number; requestLines: string[] };

export type Contender<Connector> = { scenario: string; side: Side; connector: Connector };

const runAlternating = async <Connector>(
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

/** One connector pair: the same config on both sides, the provider's answers at its real URLs. */
export type Scenario<Connector extends AllConnector> = {
  name: string;
  idplug: CreateConnector<Connector>;
  official: CreateConnector<Connector>;
  config: Record<string, unknown>;
  routes: StubRoute[];
};

/**
 * A whole part: `--runs`, `--warmup` and `--only <scenario names>` from the command line (a
 * partial run prints its figures but leaves results/<part>.json as it was). `operate` does one
 * operation and returns its wall time in ms (leaving out the provider's own work, if any).
 */
export const runSideBySidePart = async <
  Connector extends AllConnector,
  Case extends Scenario<Connector>,
>({
  part,
  operation,
  scenarios,
  operate,
  method,
}: {
  part: string;
  /** e.g. 'sign-in', as in "wall time per sign-in" */
  operation: string;
  scenarios: readonly Case[];
  operate: (scenario: Case, connector: Connector, side: Side) => Promise<number>;
  /** How the figures were taken, given the run counts. */
  method: (counts: { runs: number; warmup: number }) => string;
}): Promise<void> => {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '3' },
      only: { type: 'string' },
    },
  });
  const counts = { runs: Number(values.runs), warmup: Number(values.warmup) };
  const only = values.only?.split(',');
  const chosen = scenarios.filter(({ name }) => !only || only.includes(name));
  const stub: ProviderStub = await startProviderStub(chosen.flatMap(({ routes }) => routes));
  try {
    const warmRequestMs = await stub.measureWarmRequest('https://warm-up.bench.example/');
    console.log(
      `one warm HTTPS request through the proxy: ${warmRequestMs.toFixed(1)} ms (median)`,
    );

    const contenders: Contender<{ scenario: Case; connector: Connector }>[] = [];
    for (const scenario of chosen) {
      for (const side of ['idplug', 'official'] as const) {
        // No per-language email templates stored in Logto: both use their configured ones
        // (social connectors ignore the option).
        const getI18nEmailTemplate = async () => undefined;
        const connector = await scenario[side]({
          getConfig: async () => scenario.config,
          getI18nEmailTemplate: getI18nEmailTemplate as never,
        });
        contenders.push({ scenario: scenario.name, side, connector: { scenario, connector } });
      }
    }
    const samples = await runAlternating(contenders, counts, async ({ connector, side }) => {
      stub.reset();
      const ms = await operate(connector.scenario, connector.connector, side);
      return {
        ms,
        requests: stub.requests.length,
        connections: stub.connections,
        requestLines: [...stub.requests],
      };
    });

    const rows = chosen.flatMap(({ name }) =>
      sideBySideRows(samples, name, {
        benchmark: `${name} ${operation}, warm, 20 ms RTT`,
        operation,
        timeNote: `one warm request through the proxy: ${warmRequestMs.toFixed(1)} ms`,
      }),
    );
    console.log(
      `\nmedians of ${counts.runs} per connector after ${counts.warmup} warm-up operations:`,
    );
    printSummary(
      chosen.map(({ name }) => name),
      samples,
      rows,
    );
    if (only) {
      console.log(`--only: a partial run, results/${part}.json left as it was`);
    } else {
      writePartResults({ part, method: method(counts), rows });
    }
  } finally {
    await stub.stop();
  }
};

/** Rows of one scenario: wall time, HTTP requests and new connections per operation. */
const sideBySideRows = <Connector>(
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
const printSummary = <Connector>(
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
