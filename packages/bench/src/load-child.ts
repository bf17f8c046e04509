/**
 * One measurement of the load benchmark, in a fresh process (no module cache): Logto's real
 * loader (`loadConnectorFactories` of @logto/cli 1.43, via @idplug/compat) imports the given
 * connector folders; prints time and memory as one JSON line. Run with `--expose-gc`.
 *
 *   node --expose-gc --import tsx src/load-child.ts '<json: [{ name, path }]>'
 */
import { checkPackedConnectorsLoad } from '@idplug/compat';

const packages = JSON.parse(process.argv[2] ?? '[]') as { name: string; path: string }[];
const collect = () => (globalThis as { gc?: () => void }).gc?.();

// The loader module and connector-kit themselves are Logto's, loaded before any connector: an
// empty load imports them, so the measurement is the connectors' own cost.
await checkPackedConnectorsLoad([], 'logto-cli');
collect();
const before = process.memoryUsage();
const started = performance.now();
const report = await checkPackedConnectorsLoad(packages, 'logto-cli');
const ms = performance.now() - started;
collect();
const after = process.memoryUsage();
console.log(
  JSON.stringify({
    ms,
    heapBytes: after.heapUsed - before.heapUsed,
    rssBytes: after.rss - before.rss,
    loaded: report.loaded.map(({ name }) => name),
    skipped: report.skipped.map(({ name, reason }) => `${name}: ${reason.split('\n')[0]}`),
  }),
);
