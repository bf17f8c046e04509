import type { IncomingHttpHeaders } from 'node:http';
import https, { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import { generateLoopbackTlsCertificate } from '@idplug/emulators';
import { Agent, setGlobalDispatcher } from 'undici';
import { startLatencyProxy } from './latency-proxy';
import { median } from './results';

/**
 * The provider side of the sign-in and send benchmarks: ONE local HTTPS server answering every
 * provider's real host name (Host header + path, a route table per benchmark scenario), reached
 * through a TCP proxy that adds `oneWayDelayMs` each way.
 *
 * The official connectors have their providers' URLs hard-coded, so this process routes EVERY
 * outgoing HTTPS connection to the proxy, whatever host it was meant for (a host override, as
 * the differential tests' msw does, but over real sockets so that round trips and connection
 * reuse count):
 * - fetch (idplug's connectors, jose, ky in official ones) through undici's global dispatcher;
 * - node:https (got, axios in `postmark`, msal-node, the AWS SDK's own keep-alive agents) by
 *   patching `https.Agent.prototype.createConnection`, so agents a library creates itself are
 *   routed too, with their own keep-alive settings left as the library chose them.
 * TLS is real: a throwaway CA, the certificate checked against `localhost`.
 */

export type StubRequest = {
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
};

export type StubAnswer = { status?: number; json?: unknown; headers?: Record<string, string> };

export type StubRoute = {
  /** @default any method */
  method?: 'GET' | 'POST';
  /** Matched against `host + path` (no query), e.g. /^discord\.com\/api\/v10\/users\/@me$/. */
  url: RegExp;
  answer: (request: StubRequest) => StubAnswer | Promise<StubAnswer>;
};

export type ProviderStub = {
  /** `METHOD host/path` of every request since the last `reset()`. */
  readonly requests: readonly string[];
  /** TCP connections the proxy accepted since the last `reset()`. */
  readonly connections: number;
  reset(): void;
  /** Median time of one request on a warm keep-alive connection through the proxy, in ms. */
  measureWarmRequest(url: string): Promise<number>;
  stop(): Promise<void>;
};

const answerRequest = async (routes: readonly StubRoute[], request: StubRequest) => {
  const route = routes.find(
    ({ method, url }) =>
      (method ?? request.method) === request.method && url.test(`${request.host}${request.path}`),
  );
  if (!route) {
    return {
      status: 404,
      json: { error: `no stub route for ${request.method} ${request.host}${request.path}` },
    };
  }
  return route.answer(request);
};

export const startProviderStub = async (
  routes: readonly StubRoute[],
  oneWayDelayMs = Number(process.env.BENCH_ONE_WAY_DELAY_MS ?? 10),
): Promise<ProviderStub> => {
  const certificate = await generateLoopbackTlsCertificate();
  let requests: string[] = [];
  const server = createHttpsServer(
    { cert: certificate.cert, key: certificate.key },
    async (incoming, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) {
        chunks.push(chunk as Buffer);
      }
      const url = new URL(incoming.url ?? '/', 'https://stub');
      const request: StubRequest = {
        method: incoming.method ?? 'GET',
        host: (incoming.headers.host ?? '').replace(/:443$/, ''),
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(`${request.method} ${request.host}${request.path}`);
      const { status = 200, json, headers = {} } = await answerRequest(routes, request);
      response.writeHead(status, {
        ...(json !== undefined && { 'content-type': 'application/json; charset=utf-8' }),
        ...headers,
      });
      response.end(json === undefined ? undefined : JSON.stringify(json));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = await startLatencyProxy(
    { host: '127.0.0.1', port: (server.address() as AddressInfo).port },
    oneWayDelayMs,
  );

  const connectThroughProxy = () => {
    const socket = tls.connect({
      host: proxy.host,
      port: proxy.port,
      servername: 'localhost',
      ca: certificate.ca,
      ALPNProtocols: ['http/1.1'],
    });
    socket.setNoDelay(true);
    return socket;
  };
  setGlobalDispatcher(
    new Agent({
      connect: (_options, callback) => {
        const socket = connectThroughProxy();
        socket.once('secureConnect', () => callback(null, socket));
        socket.once('error', (error) => callback(error, null));
      },
    }),
  );
  const originalCreateConnection = (
    https.Agent.prototype as unknown as { createConnection: unknown }
  ).createConnection;
  (https.Agent.prototype as unknown as { createConnection: () => Socket }).createConnection =
    connectThroughProxy;

  return {
    get requests() {
      return requests;
    },
    get connections() {
      return proxy.connections;
    },
    reset() {
      requests = [];
      proxy.resetCount();
    },
    async measureWarmRequest(url) {
      const times: number[] = [];
      for (let index = 0; index < 20; index += 1) {
        const started = performance.now();
        await (await fetch(url)).arrayBuffer();
        times.push(performance.now() - started);
      }
      // The first ones open the connection and warm fetch up.
      return median(times.slice(5));
    },
    async stop() {
      (https.Agent.prototype as unknown as { createConnection: unknown }).createConnection =
        originalCreateConnection;
      await proxy.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
