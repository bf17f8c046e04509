import { once } from 'node:events';
import net from 'node:net';
import { getUnusedLoopbackPort } from '@idplug/emulators';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configFor,
  credentials,
  failureOf,
  load,
  message,
  messageOf,
  startSink,
  stopSinksAfterEach,
} from './test-support';

stopSinksAfterEach();

/** A TCP server that accepts and never writes a byte: a TLS client stays in its handshake. */
const silentServers: { server: net.Server; sockets: Set<net.Socket> }[] = [];
const startSilentServer = async () => {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  silentServers.push({ server, sockets });
  return { host: '127.0.0.1' as const, port: (server.address() as net.AddressInfo).port };
};
afterEach(async () => {
  for (const { server, sockets } of silentServers.splice(0)) {
    for (const socket of sockets) {
      socket.destroy();
    }
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * Two orders of the timers: the per-message deadline first (`sendTimeout` small, the socket
 * timers large), and the connection's own timers first. Either way the stage reported is the one
 * the server stalled in.
 */
const timerOrders = {
  'the send deadline': {
    sendTimeout: 300,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 10_000,
  },
  'the socket timers': {
    sendTimeout: 10_000,
    connectionTimeout: 300,
    greetingTimeout: 300,
    socketTimeout: 300,
  },
} as const;

describe.each(Object.entries(timerOrders))('a stalled send, ended by %s', (_order, timers) => {
  it('is reported as stalled in the greeting when the server never greets', async () => {
    const sink = await startSink({ hangOnConnect: true });
    const error = await failureOf((await load(configFor(sink, timers))).sendMessage(message()));

    expect(error.code).toBe('general');
    expect(error.data).toMatchObject({ stage: 'greeting' });
    expect(messageOf(error)).toMatch(/waiting for the SMTP greeting/);
    expect(messageOf(error)).toMatch(/"secure": true/);
  });

  it('is reported as stalled in TLS when the implicit-TLS handshake never completes', async () => {
    const server = await startSilentServer();
    const error = await failureOf(
      (await load({ ...configFor(server as never, timers), secure: true })).sendMessage(message()),
    );

    expect(error.data).toMatchObject({ stage: 'tls' });
    expect(messageOf(error)).toMatch(/the TLS handshake/);
  });

  it('is reported as stalled in AUTH when the login is never answered', async () => {
    const sink = await startSink({ auth: credentials, stallAt: 'auth' });
    const error = await failureOf((await load(configFor(sink, timers))).sendMessage(message()));

    expect(error.data).toMatchObject({ stage: 'auth' });
    expect(messageOf(error)).toMatch(/logging in \(AUTH\)/);
    expect(messageOf(error)).not.toContain(credentials.pass);
  });

  it('is reported as stalled in the envelope when MAIL FROM is never answered', async () => {
    const sink = await startSink({ auth: credentials, stallAt: 'envelope' });
    const error = await failureOf((await load(configFor(sink, timers))).sendMessage(message()));

    expect(error.data).toMatchObject({ stage: 'envelope' });
    expect(messageOf(error)).toMatch(/the envelope/);
  });

  it('is reported as stalled in DATA when the message is never confirmed', async () => {
    const sink = await startSink({ auth: credentials, stallAt: 'data' });
    const error = await failureOf((await load(configFor(sink, timers))).sendMessage(message()));

    expect(error.data).toMatchObject({ stage: 'data' });
    expect(messageOf(error)).toMatch(/sending the message \(DATA\)/);
    expect(messageOf(error)).toMatch(/may or may not have been delivered/);
  });
});

describe('stages that fail rather than stall', () => {
  it('reports a refused connection as the connect stage', async () => {
    const port = await getUnusedLoopbackPort();
    const error = await failureOf(
      (
        await load({ ...configFor({ host: '127.0.0.1', port } as never), sendTimeout: 5000 })
      ).sendMessage(message()),
    );

    expect(error.data).toMatchObject({ stage: 'connect' });
    expect(messageOf(error)).toMatch(/ECONNREFUSED while connecting/);
  });

  it('reports a message queued behind a busy connection as waiting for a connection', async () => {
    const sink = await startSink({ auth: credentials, stallAt: 'data' });
    const connector = await load(
      configFor(sink, { ...timerOrders['the send deadline'], pool: { maxConnections: 1 } }),
    );

    const [first, second] = await Promise.all([
      failureOf(connector.sendMessage(message('first@example.org'))),
      failureOf(connector.sendMessage(message('second@example.org'))),
    ]);

    expect(first.data).toMatchObject({ stage: 'data' });
    expect(second.data).toMatchObject({ stage: 'queue' });
    expect(messageOf(second)).toMatch(/waiting for a free pooled connection/);
    expect(messageOf(second)).toMatch(/pool\.maxConnections/);
  });
});
