/**
 * SMTP side-by-side benchmark (issue 5): ONE local SMTP sink (STARTTLS + AUTH, like a port 587
 * submission server; BENCH_SMTP_TLS=none for plain text), and a burst of concurrent
 * `sendMessage` calls through idplug's built connector and through `@logto/connector-smtp` from
 * npm, alternating which goes first. Prints messages/second and the peak number of concurrent
 * connections the server saw for each, per repetition and as medians, and the ratio.
 *
 *   pnpm --filter @idplug/bench bench:smtp [--messages 400] [--repetitions 5] [--nagle] [--template-bytes 0]
 *
 * `--template-bytes N` pads the HTML template to about N bytes. `--nagle` adds idplug with `pool.noDelay: false`, to measure what TCP_NODELAY changes.
 *
 * A benchmark, not a test: numbers depend on the machine and its load.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { parseArgs } from 'node:util';
// The built package (lib/index.js, as Logto loads it): `pnpm bench` builds it first.
import createIdplugConnector from '@idplug/connector-smtp';
import type { CreateConnector, EmailConnector, SendMessageData } from '@logto/connector-kit';
import createOfficialConnector from '@logto/connector-smtp';
import { writePartResults } from './results';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '400' },
    repetitions: { type: 'string', default: '5' },
    nagle: { type: 'boolean', default: false },
    'template-bytes': { type: 'string', default: '0' },
  },
});
const messageCount = Number(values.messages);
const repetitions = Number(values.repetitions);

type SinkReady = { ready: true; host: string; port: number; ca?: string; tls: string };
type Stats = { connections: { current: number; peak: number; total: number }; messages: number };

const startSinkProcess = async () => {
  const child: ChildProcess = fork(new URL('./smtp-sink-process.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<SinkReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as SinkReady));
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code})`)));
  });
  let nextId = 0;
  const request = <T>(type: 'reset' | 'stats' | 'stop') =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      const onMessage = (message: { id?: number }) => {
        if (message.id === id) {
          child.off('message', onMessage);
          resolve(message as T);
        }
      };
      child.on('message', onMessage);
      child.send({ id, type });
    });
  return { ...ready, request };
};

// `--template-bytes` pads the HTML like a branded template (styles, footer), to see larger bodies.
const filler =
  '<p style="color:#333">Thanks for using Example. Need help? Reply to this email.</p>\n';
const templates = ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
  usageType,
  contentType: 'text/html',
  subject: 'Your verification code',
  content: `<p>Your verification code is <b>{{code}}</b>. It expires in 10 minutes.</p>\n${filler.repeat(
    Math.ceil(Number(values['template-bytes']) / filler.length),
  )}`,
}));

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

type RunResult = { messagesPerSecond: number; peak: number; failed: number; firstError?: string };

const main = async () => {
  const sink = await startSinkProcess();
  // One config, valid for both connectors (the official guard requires these four templates).
  const configFor = (repetition: number) => ({
    host: sink.host,
    port: sink.port,
    auth: { user: 'bench@example.com', pass: 'bench-password' },
    fromEmail: 'no-reply@example.com',
    templates,
    ...(sink.ca && { tls: { ca: sink.ca }, requireTLS: true }),
    // A different EHLO name per repetition: idplug starts each burst with a cold pool, and its
    // idle connections close after 1 s so the next burst starts alone on the server (the pool's
    // default is 15 s; no connection idles during a burst, so throughput is unaffected).
    name: `bench-${repetition}.example.com`,
    pool: { idleTimeout: 1000 },
  });

  /**
   * Every burst starts with the previous one's connections closed, so a peak is the burst's own:
   * waits until no connection is open, or until the count has not changed for 5 s (the sink's
   * count of STARTTLS connections never drops; see /work/shared-notes), then measures from there.
   */
  const settle = async () => {
    const deadline = Date.now() + 60_000;
    let last = -1;
    let stableSince = Date.now();
    for (;;) {
      const { current } = (await sink.request<Stats>('stats')).connections;
      if (current === 0 || Date.now() > deadline || Date.now() - stableSince >= 5000) {
        return;
      }
      if (current !== last) {
        last = current;
        stableSince = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const burst = async (
    createConnector: CreateConnector<EmailConnector>,
    repetition: number,
    extraConfig: Record<string, unknown> = {},
  ): Promise<RunResult> => {
    const config = { ...configFor(repetition), ...extraConfig };
    const connector = await createConnector({ getConfig: async () => config });
    await settle();
    await sink.request('reset');
    const baseline = (await sink.request<Stats>('stats')).connections.current;
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: messageCount }, (_, index) =>
        connector.sendMessage({
          to: `person${index}@example.org`,
          type: 'SignIn',
          payload: { code: String(100_000 + index) },
        } as SendMessageData),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const stats = await sink.request<Stats>('stats');
    const failures = results.filter((result) => result.status === 'rejected');
    return {
      messagesPerSecond: (results.length - failures.length) / seconds,
      // Connections open at the same time during the burst, beyond those left from before.
      peak: stats.connections.peak - baseline,
      failed: failures.length,
      ...(failures[0] && { firstError: String((failures[0] as PromiseRejectedResult).reason) }),
    };
  };

  const idplug = createIdplugConnector as CreateConnector<EmailConnector>;
  const official = createOfficialConnector;
  type Contender = { run: (repetition: number) => Promise<RunResult> };
  const contenders: Record<string, Contender> = {
    idplug: { run: (repetition) => burst(idplug, repetition) },
    official: { run: (repetition) => burst(official, repetition) },
  };
  if (values.nagle) {
    // The same pool with Nagle's algorithm left on: what TCP_NODELAY buys.
    contenders['idplug-nagle'] = {
      run: (repetition) =>
        burst(idplug, repetition, { pool: { idleTimeout: 1000, noDelay: false } }),
    };
  }
  const names = Object.keys(contenders);
  const results: Record<string, RunResult[]> = Object.fromEntries(names.map((name) => [name, []]));

  console.log(
    `SMTP burst: ${messageCount} concurrent sendMessage calls, ${repetitions} repetitions, one sink on ${sink.host}:${sink.port} (${sink.tls === 'none' ? 'plain text' : 'STARTTLS'} + AUTH), Node ${process.version}`,
  );
  // Warm-up (JIT, TLS machinery), not counted.
  for (const name of names) {
    await contenders[name]?.run(-1 - names.indexOf(name));
  }

  for (let repetition = 0; repetition < repetitions; repetition++) {
    // Rotate who goes first, so neither always runs on a warmer or cooler machine.
    const order = names.map((_, index) => names[(index + repetition) % names.length] as string);
    for (const name of order) {
      const result = await (contenders[name] as Contender).run(repetition);
      results[name]?.push(result);
      console.log(
        `  #${repetition + 1} ${name.padEnd(8)} ${result.messagesPerSecond.toFixed(0).padStart(6)} msg/s  peak ${String(result.peak).padStart(3)} connections${result.failed ? `  ${result.failed} failed: ${result.firstError}` : ''}`,
      );
    }
  }

  const summary = Object.fromEntries(
    Object.entries(results).map(([name, runs]) => [
      name,
      {
        'median msg/s': Math.round(median(runs.map((run) => run.messagesPerSecond))),
        'median peak connections': median(runs.map((run) => run.peak)),
        'max peak connections': Math.max(...runs.map((run) => run.peak)),
        failed: runs.reduce((sum, run) => sum + run.failed, 0),
      },
    ]),
  );
  console.table(summary);
  const medianRate = (name: string) =>
    median((results[name] ?? []).map((run) => run.messagesPerSecond));
  const ratio = medianRate('idplug') / medianRate('official');
  console.log(`throughput ratio (idplug / official, medians): ${ratio.toFixed(2)}x`);
  const medianPeak = (name: string) => median((results[name] ?? []).map((run) => run.peak));
  const scenario = `${messageCount}-message burst, ${sink.tls === 'none' ? 'plain text' : 'STARTTLS'} + AUTH`;
  const method = `${repetitions} repetitions after a warm-up, medians; one local SMTP sink (smtp-server, own process); a cold idplug pool per repetition; who goes first rotates.`;
  writePartResults({
    part: 'smtp',
    method,
    rows: [
      {
        benchmark: `SMTP ${scenario}`,
        metric: 'messages per second',
        unit: 'msg/s',
        idplug: Math.round(medianRate('idplug')),
        official: Math.round(medianRate('official')),
        better: 'higher',
      },
      {
        benchmark: `SMTP ${scenario}`,
        metric: 'peak concurrent connections',
        unit: 'connections',
        idplug: medianPeak('idplug'),
        official: medianPeak('official'),
        note:
          sink.tls === 'none'
            ? 'as the SMTP server counted them'
            : 'as the SMTP server counted them; with STARTTLS its count misses closes, so this is the connections opened during the burst, an upper bound of the peak',
      },
    ],
  });
  if (values.nagle) {
    const nagle = medianRate('idplug') / medianRate('idplug-nagle');
    console.log(`TCP_NODELAY effect (idplug / idplug-nagle, medians): ${nagle.toFixed(2)}x`);
  }

  await sink.request('stop');
};

await main();
// The official connector never closes its transports; don't wait for their sockets.
process.exit(0);
