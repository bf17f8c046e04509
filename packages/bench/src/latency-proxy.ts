import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that adds network latency: every chunk is held `oneWayDelayMs` before
 * it is forwarded, in each direction, so a round trip costs twice that (10 ms each way = the
 * 20 ms round trip of a provider in the same region). Order is kept (equal delays fire in order).
 * Bytes are not inspected: TLS, HTTP/1.1 keep-alive and SMTP all pass through unchanged.
 */

export type LatencyProxy = {
  host: '127.0.0.1';
  port: number;
  /** TCP connections accepted so far (a new connection pays extra round trips: TCP, TLS). */
  readonly connections: number;
  resetCount(): void;
  stop(): Promise<void>;
};

const relay = (from: Socket, to: Socket, delayMs: number) => {
  let ended = false;
  from.on('data', (chunk: Buffer) => {
    setTimeout(() => {
      if (!to.destroyed) {
        to.write(chunk);
      }
    }, delayMs);
  });
  from.on('end', () => {
    if (!ended) {
      ended = true;
      setTimeout(() => to.end(), delayMs);
    }
  });
  from.on('error', () => to.destroy());
  from.on('close', () => setTimeout(() => to.destroy(), delayMs + 1));
};

export const startLatencyProxy = async (
  target: { host: string; port: number },
  oneWayDelayMs = 10,
): Promise<LatencyProxy> => {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    connections += 1;
    client.setNoDelay(true);
    const upstream = connect({ host: target.host, port: target.port, noDelay: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    relay(client, upstream, oneWayDelayMs);
    relay(upstream, client, oneWayDelayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    resetCount() {
      connections = 0;
    },
    async stop() {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
