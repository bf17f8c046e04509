/**
 * The latency half of the SMTP benchmark (issue 9): each connector on one warm process sends
 * codes one after another through a TCP proxy that adds 20 ms round trip (latency-proxy.ts, 10 ms
 * each way) in front of the same STARTTLS + AUTH sink, timing every `sendMessage` from call to
 * the server's 250. idplug reuses its pooled connection; the official connector opens one per
 * message (TCP, greeting, EHLO, STARTTLS, TLS handshake, EHLO, AUTH, then the message), so the
 * proxy also counts the new connections each message needed. Run from smtp.ts.
 */
import { connect } from 'node:net';
import type { EmailConnector, SendMessageData } from '@logto/connector-kit';
import type { LatencyProxy } from './latency-proxy';
import { median } from './results';

/** The nearest-rank percentile (p in 0..1) of a sample. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
};

let sequence = 0;
const sendOne = (connector: EmailConnector) =>
  connector.sendMessage({
    to: `latency${++sequence}@example.org`,
    type: 'SignIn',
    payload: { code: String(100_000 + (sequence % 900_000)) },
  } as SendMessageData);

export type SequentialResult = {
  /** ms per message, in send order. */
  latencies: number[];
  /** Connections the proxy accepted during the timed sends, per message. */
  newConnectionsPerMessage: number;
};

/**
 * `rounds` sequential sends per connector after `warmup` untimed ones each; every round sends
 * one message through each connector, who goes first alternating, so both see the same machine.
 */
export const measureSequentialLatency = async (
  connectors: Record<string, EmailConnector>,
  proxy: LatencyProxy,
  { rounds, warmup }: { rounds: number; warmup: number },
): Promise<Record<string, SequentialResult>> => {
  const names = Object.keys(connectors);
  for (const name of names) {
    for (let index = 0; index < warmup; index++) {
      await sendOne(connectors[name] as EmailConnector);
    }
  }
  const latencies: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const opened: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, index) => names[(index + round) % names.length] as string);
    for (const name of order) {
      proxy.resetCount();
      const started = performance.now();
      await sendOne(connectors[name] as EmailConnector);
      latencies[name]?.push(performance.now() - started);
      opened[name] = (opened[name] ?? 0) + proxy.connections;
    }
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        latencies: latencies[name] ?? [],
        newConnectionsPerMessage: (opened[name] ?? 0) / rounds,
      },
    ]),
  );
};

/**
 * ms from opening a TCP connection through the proxy to the server's 220 greeting: what every
 * new connection pays before its first command (the round trip, plus smtp-server's fixed 100 ms
 * pause before greeting, its check for clients that talk too soon).
 */
export const measureGreeting = async (proxy: LatencyProxy, samples = 5): Promise<number> => {
  const times: number[] = [];
  for (let index = 0; index < samples; index++) {
    times.push(
      await new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const socket = connect({ host: proxy.host, port: proxy.port });
        socket.once('data', () => {
          resolve(performance.now() - started);
          socket.end('QUIT\r\n');
        });
        socket.once('error', reject);
      }),
    );
  }
  return median(times);
};
