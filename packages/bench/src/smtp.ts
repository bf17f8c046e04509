/**
 * SMTP side-by-side benchmark (issue 5): ONE local SMTP sink (STARTTLS + AUTH, like a port 587
 * submission server; BENCH_SMTP_TLS=none for plain text), and a burst of concurrent
 * `sendMessage` calls through idplug's built connector and through `@logto/connector-smtp` from
 * npm, alternating which goes first. Prints messages/second and the peak number of concurrent
 * connections the server saw for each, per repetition and as medians, and the ratio.
 *
 * Then the same through a TCP proxy adding 20 ms round trip (issue 9): the burst again
 * (`--proxied-repetitions`), and the latency per message of sequential sends on the warm process,
 * median and p95 (`--rounds`, see smtp-latency.ts).
 *
 *   pnpm --filter @idplug/bench bench:smtp [--messages 400] [--repetitions 5] [--proxied-repetitions 3] [--rounds 40] [--template-bytes 0]
 *
 * `--template-bytes N` pads the HTML template to about N bytes.
 *
 * A benchmark, not a test: numbers depend on the machine and its load.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { parseArgs } from 'node:util';
// The built package (lib/index.js, as Logto loads it): `pnpm bench` builds it first.
import createIdplugConnector from '@idplug/connector-smtp';
import type { CreateConnector, EmailConnector, SendMessageData } from '@logto/connector-kit';
import createOfficialConnector from '@logto/connector-smtp';
import { startLatencyProxy } from './latency-proxy';
import { median, type ResultRow, writePartResults } from './results';
import { measureGreeting, measureSequentialLatency, percentile } from './smtp-latency';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '400' },
    repetitions: { type: 'string', default: '5' },
    'proxied-repetitions': { type: 'string', default: '3' },
    rounds: { type: 'string', default: '40' },
    'template-bytes': { type: 'string', default: '0' },
  },
});
const messageCount = Number(values.messages);
const repetitions = Number(values.repetitions);
const proxiedRepetitions = Number(values['proxied-repetitions']);
const rounds = Number(values.rounds);

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

/**
 * Where the round trips of a warm message went, and what each step of issue 19 gave at 20 ms RTT
 * (recorded by hand from runs of this script; the figures of the latest run are in the table).
 */
const roundTripNotes =
  "Round trips per message on a warm pooled connection (seen through a recording relay, connector-smtp src/pipelining.test.ts): before issue 19, two (MAIL, RCPT and DATA pipelined by nodemailer, answered by 354; then the content, answered by 250), and no RSET between messages (nodemailer sends none on a clean connection, so removing RSET had nothing to give). Steps, 20 ms RTT burst, idplug vs official msg/s on a loaded 2-core machine: (1) own pool on nodemailer's SMTPConnection, opening every connection of a burst at once and keeping messages queued until a connection is logged in: 41 vs 23 (1.78x; the official connector's 400 TLS handshakes were CPU-bound on that run, so the ratio flatters idplug); (2) the next message's MAIL, RCPT and DATA pipelined behind a message written in full (RFC 2920), one round trip per message: see the table; (3) the same with `pool.maxConnections: 10` (the most the issue allows; the default stays 5, since a provider's per-account limit may refuse more at MAIL or DATA, where a refusal fails the message): the table's maxConnections 10 rows";

type RunResult = { messagesPerSecond: number; peak: number; failed: number; firstError?: string };

const main = async () => {
  const sink = await startSinkProcess();
  // One config, valid for both connectors (the official guard requires these four templates).
  // `pool` is idplug's alone: the official connector hands its raw config to nodemailer, for
  // which any `pool` value means a pooled transport, one per message that is never closed.
  const configFor = (
    repetition: number | string,
    target: { host: string; port: number } = sink,
  ) => ({
    host: target.host,
    port: target.port,
    auth: { user: 'bench@example.com', pass: 'bench-password' },
    fromEmail: 'no-reply@example.com',
    templates,
    ...(sink.ca && { tls: { ca: sink.ca }, requireTLS: true }),
    // A different EHLO name per repetition: idplug starts each burst with a cold pool.
    name: `bench-${repetition}.example.com`,
  });
  // idplug's idle connections close after 1 s so the next burst starts alone on the server (the
  // pool's default is 15 s; no connection idles during a burst, so throughput is unaffected).
  const idplugPool = { pool: { idleTimeout: 1000 } };

  /**
   * Every burst starts with the previous one's connections closed, so a peak is the burst's own:
   * waits until the sink counts no open connection (idplug's idle pool says QUIT after 1 s), for
   * at most 30 s; a connection still open then is subtracted as the burst's baseline.
   */
  const settle = async () => {
    const deadline = Date.now() + 30_000;
    while ((await sink.request<Stats>('stats')).connections.current > 0) {
      if (Date.now() > deadline) {
        console.warn('  (connections still open after 30 s; measuring from them)');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const burst = async (
    createConnector: CreateConnector<EmailConnector>,
    repetition: number | string,
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
    idplug: { run: (repetition) => burst(idplug, repetition, idplugPool) },
    official: { run: (repetition) => burst(official, repetition) },
  };
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
  const security = `${sink.tls === 'none' ? 'plain text' : 'STARTTLS'} + AUTH`;
  const scenario = `${messageCount}-message burst, ${security}`;

  // The same sink behind a proxy adding 10 ms each way: a provider 20 ms away.
  const proxy = await startLatencyProxy({ host: sink.host, port: sink.port }, 10);
  const proxied = { host: proxy.host, port: proxy.port };
  const greetingMs = await measureGreeting(proxy);
  console.log(
    `\nThrough a TCP proxy adding 10 ms each way (${proxy.host}:${proxy.port}); a new connection's 220 greeting arrives after ${greetingMs.toFixed(1)} ms (median)`,
  );
  // idplug twice: with the pool's default 5 connections, and with `pool.maxConnections: 10`, the
  // most issue 19 allows for matching the official connector's one connection per message.
  const proxiedConfigs: Record<string, Record<string, unknown>> = {
    idplug: idplugPool,
    'idplug-10': { pool: { ...idplugPool.pool, maxConnections: 10 } },
    official: {},
  };
  const proxiedResults: Record<string, RunResult[]> = { idplug: [], 'idplug-10': [], official: [] };
  const proxiedNames = Object.keys(proxiedConfigs);
  for (let repetition = 0; repetition < proxiedRepetitions; repetition++) {
    const order = proxiedNames.map(
      (_, index) => proxiedNames[(index + repetition) % proxiedNames.length] as string,
    );
    for (const name of order) {
      const result = await burst(name === 'official' ? official : idplug, `proxied-${repetition}`, {
        ...proxied,
        ...proxiedConfigs[name],
      });
      proxiedResults[name]?.push(result);
      console.log(
        `  proxied #${repetition + 1} ${name.padEnd(10)} ${result.messagesPerSecond.toFixed(0).padStart(6)} msg/s  peak ${String(result.peak).padStart(3)} connections${result.failed ? `  ${result.failed} failed: ${result.firstError}` : ''}`,
      );
    }
  }
  const proxiedRate = (name: string) =>
    median((proxiedResults[name] ?? []).map((run) => run.messagesPerSecond));

  // Sequential sends on one warm process, each connector keeping its config (and so its pool).
  await settle();
  const latencyConfig = configFor('latency', proxied);
  const sequential = await measureSequentialLatency(
    {
      // The pool's defaults (15 s idle), as a Logto instance would run it.
      idplug: await idplug({ getConfig: async () => latencyConfig }),
      official: await official({ getConfig: async () => latencyConfig }),
    },
    proxy,
    { rounds, warmup: 3 },
  );
  const latencyOf = (name: string, p: 'median' | 'p95') => {
    const latencies = sequential[name]?.latencies ?? [];
    return p === 'median' ? median(latencies) : percentile(latencies, 0.95);
  };
  console.log(`sequential sends through the proxy, ${rounds} per connector after 3 warm-ups:`);
  console.table(
    Object.fromEntries(
      Object.entries(sequential).map(([name, result]) => [
        name,
        {
          'median ms': Number(latencyOf(name, 'median').toFixed(1)),
          'p95 ms': Number(latencyOf(name, 'p95').toFixed(1)),
          'new connections per message': result.newConnectionsPerMessage,
        },
      ]),
    ),
  );

  const latencyScenario = `SMTP sequential sends, warm, ${security}, 20 ms RTT`;
  const latencyNote = `a new connection waits ${greetingMs.toFixed(0)} ms for the greeting through the proxy, 100 ms of it smtp-server's fixed pause before greeting`;
  const latencyRows: ResultRow[] = (['median', 'p95'] as const).map((p) => ({
    benchmark: latencyScenario,
    metric: `latency per message, ${p}`,
    unit: 'ms',
    idplug: latencyOf('idplug', p),
    official: latencyOf('official', p),
    note: latencyNote,
  }));

  const method = `${repetitions} repetitions after a warm-up, medians; one local SMTP sink (smtp-server, own process); a cold idplug pool per repetition; who goes first rotates. With 20 ms RTT: the sink behind a TCP proxy adding 10 ms each way; the burst ${proxiedRepetitions} times per connector, medians; ${rounds} sequential sends per connector on one warm process after 3 warm-ups, alternating, median and p95 (nearest rank) of each send from call to the server's 250. ${roundTripNotes}`;
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
        note: 'as the SMTP server counted them',
      },
      {
        benchmark: `SMTP ${scenario}, 20 ms RTT`,
        metric: 'messages per second',
        unit: 'msg/s',
        idplug: Math.round(proxiedRate('idplug')),
        official: Math.round(proxiedRate('official')),
        better: 'higher',
      },
      {
        benchmark: `SMTP ${scenario}, 20 ms RTT`,
        metric: 'peak concurrent connections',
        unit: 'connections',
        idplug: median((proxiedResults.idplug ?? []).map((run) => run.peak)),
        official: median((proxiedResults.official ?? []).map((run) => run.peak)),
        note: 'as the SMTP server counted them',
      },
      {
        benchmark: `SMTP ${scenario}, 20 ms RTT, pool.maxConnections 10`,
        metric: 'messages per second',
        unit: 'msg/s',
        idplug: Math.round(proxiedRate('idplug-10')),
        official: Math.round(proxiedRate('official')),
        better: 'higher',
      },
      {
        benchmark: `SMTP ${scenario}, 20 ms RTT, pool.maxConnections 10`,
        metric: 'peak concurrent connections',
        unit: 'connections',
        idplug: median((proxiedResults['idplug-10'] ?? []).map((run) => run.peak)),
        official: median((proxiedResults.official ?? []).map((run) => run.peak)),
        note: 'as the SMTP server counted them',
      },
      ...latencyRows,
      {
        benchmark: latencyScenario,
        metric: 'new connections per message',
        unit: 'connections',
        idplug: sequential.idplug?.newConnectionsPerMessage ?? Number.NaN,
        official: sequential.official?.newConnectionsPerMessage ?? Number.NaN,
      },
    ],
  });

  await proxy.stop();
  await sink.request('stop');
};

await main();
// The official connector never closes its transports; don't wait for their sockets.
process.exit(0);
