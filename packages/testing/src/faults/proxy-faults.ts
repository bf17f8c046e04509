import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

/**
 * The fault matrix's proxy column: the connector reaches its provider through a proxy (set in
 * `HTTPS_PROXY` and `HTTP_PROXY`, as an operator would) that is down (nothing listens: the
 * connection is refused) or slow (it accepts the connection and never answers). Either must end
 * as `general` within the connector's deadline, naming the proxy.
 */
export const proxyFaults = ['proxy-down', 'proxy-slow'] as const;
export type ProxyFault = (typeof proxyFaults)[number];

export type FaultyProxies = {
  /** `127.0.0.1:<port>` of each faulty proxy, as errors name it. */
  addressOf(fault: ProxyFault): string;
  /** Runs `operation` with HTTPS_PROXY / HTTP_PROXY pointing at the faulty proxy, then restores them. */
  withProxy<T>(fault: ProxyFault, operation: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
};

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

export const startFaultyProxies = async (): Promise<FaultyProxies> => {
  // A port that was free a moment ago and has nothing listening: connections are refused.
  const probe = createServer();
  const downPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  const silentSockets = new Set<Socket>();
  const silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  const slowPort = await listen(silent);
  const ports: Record<ProxyFault, number> = { 'proxy-down': downPort, 'proxy-slow': slowPort };
  const names = ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy', 'NO_PROXY', 'no_proxy'];
  return {
    addressOf: (fault) => `127.0.0.1:${ports[fault]}`,
    withProxy: async (fault, operation) => {
      const saved = names.map((name) => [name, process.env[name]] as const);
      for (const name of names) {
        delete process.env[name];
      }
      process.env.HTTPS_PROXY = `http://127.0.0.1:${ports[fault]}`;
      process.env.HTTP_PROXY = `http://127.0.0.1:${ports[fault]}`;
      try {
        return await operation();
      } finally {
        for (const [name, value] of saved) {
          if (value === undefined) {
            delete process.env[name];
          } else {
            process.env[name] = value;
          }
        }
      }
    },
    stop: async () => {
      for (const socket of silentSockets) {
        socket.destroy();
      }
      await new Promise((resolve) => silent.close(resolve));
    },
  };
};
