import { type AddressInfo, createServer } from 'node:net';
import { Server } from 'proxy-chain';

/**
 * A real HTTP proxy (proxy-chain) on 127.0.0.1 that requires Basic credentials and records what
 * it carries: CONNECT tunnels (`host:port`) apart from forwarded plain-HTTP requests.
 */
export type CountingProxy = {
  port: number;
  /** `http://user:password@127.0.0.1:<port>` */
  urlWithCredentials: string;
  /** `host:port` of each CONNECT tunnel. */
  connects: string[];
  /** `METHOD host:port/path` of each forwarded plain-HTTP request. */
  forwarded: string[];
  reset(): void;
  /** A loopback port nothing listens on (a dead proxy). */
  closedPort(): Promise<number>;
  stop(): Promise<void>;
};

export const startCountingProxy = async (credentials: {
  user: string;
  password: string;
}): Promise<CountingProxy> => {
  const connects: string[] = [];
  const forwarded: string[] = [];
  const server = new Server({
    port: 0,
    host: '127.0.0.1',
    prepareRequestFunction: ({ request, isHttp, hostname, port, username, password }) => {
      if (username !== credentials.user || password !== credentials.password) {
        return { requestAuthentication: true };
      }
      if (isHttp) {
        forwarded.push(
          `${request.method} ${hostname}:${port}${new URL(request.url ?? '/').pathname}`,
        );
      } else {
        connects.push(`${hostname}:${port}`);
      }
      return {};
    },
  });
  await server.listen();
  return {
    port: server.port,
    urlWithCredentials: `http://${credentials.user}:${credentials.password}@127.0.0.1:${server.port}`,
    connects,
    forwarded,
    reset: () => {
      connects.length = 0;
      forwarded.length = 0;
    },
    closedPort: async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise((resolve) => probe.close(resolve));
      return port;
    },
    stop: () => server.close(true),
  };
};

const proxyEnvironmentNames = [
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'https_proxy',
  'http_proxy',
  'no_proxy',
];

/** The proxy variables as they are now, and a function that puts them back (after each test). */
export const saveProxyEnvironment = () => {
  const saved = proxyEnvironmentNames.map((name) => [name, process.env[name]] as const);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  };
};
