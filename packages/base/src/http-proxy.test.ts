import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Server as TcpServer,
} from 'node:net';
import { ConnectorError } from '@logto/connector-kit';
import { Server as ProxyServer } from 'proxy-chain';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from './http';
import { SecretRedactor } from './secrets';

// A real proxy (proxy-chain) and real servers on loopback: every request through the proxy is
// counted, CONNECT tunnels apart from plain forwarded requests.
const proxyUser = 'proxy-operator';
const proxyPassword = 'pr0xy-Passw0rd-never-shown';

type Counts = { connects: string[]; forwarded: string[] };
const counts: Counts = { connects: [], forwarded: [] };
let proxy: ProxyServer;
let proxyPort: number;
let authProxy: ProxyServer;
let authProxyPort: number;
let httpsServer: Server;
let httpServer: Server;
let silentProxy: TcpServer;
const silentSockets: import('node:net').Socket[] = [];
let ca: string;
let httpsUrl: string;
let httpUrl: string;

const listen = async (server: Server | TcpServer) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

const startProxy = async (requireAuth: boolean) => {
  const server = new ProxyServer({
    port: 0,
    host: '127.0.0.1',
    prepareRequestFunction: ({ isHttp, hostname, port, username, password }) => {
      (isHttp ? counts.forwarded : counts.connects).push(`${hostname}:${port}`);
      return requireAuth && (username !== proxyUser || password !== proxyPassword)
        ? { requestAuthentication: true }
        : {};
    },
  });
  await server.listen();
  return server;
};

const environmentNames = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
];
const savedEnvironment = Object.fromEntries(
  environmentNames.map((name) => [name, process.env[name]]),
);

beforeAll(async () => {
  const certificate = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  ca = certificate.cert;
  const answer = (
    request: { method?: string; url?: string },
    response: import('node:http').ServerResponse,
  ) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ method: request.method, path: request.url }));
  };
  httpsServer = createHttpsServer({ key: certificate.private, cert: certificate.cert }, answer);
  httpsUrl = `https://127.0.0.1:${await listen(httpsServer)}`;
  httpServer = createHttpServer(answer);
  httpUrl = `http://127.0.0.1:${await listen(httpServer)}`;
  proxy = await startProxy(false);
  proxyPort = proxy.port;
  authProxy = await startProxy(true);
  authProxyPort = authProxy.port;
  // Accepts connections and never answers: a proxy that hangs.
  silentProxy = createTcpServer((socket) => silentSockets.push(socket));
  await listen(silentProxy);
});

afterEach(() => {
  counts.connects.length = 0;
  counts.forwarded.length = 0;
  for (const name of environmentNames) {
    if (savedEnvironment[name] === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = savedEnvironment[name];
    }
  }
});

afterAll(async () => {
  await proxy.close(true);
  await authProxy.close(true);
  for (const server of [httpsServer, httpServer]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  for (const socket of silentSockets) {
    socket.destroy();
  }
  await new Promise((resolve) => silentProxy.close(resolve));
});

const failureOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
};

/** Everything an error shows: code, message, data, and its cause chain. */
const everythingShown = (error: ConnectorError) =>
  `${error.code} ${error.message} ${JSON.stringify(error.data)} ${String((error as { cause?: unknown }).cause)} ${JSON.stringify((error as { cause?: unknown }).cause)}`;

describe('a configured proxy (network.proxy)', () => {
  it('tunnels an https request through CONNECT and trusts the configured CA', async () => {
    const http = createHttpClient({ network: { proxy: `http://127.0.0.1:${proxyPort}`, ca } });
    const response = await http.request({
      url: `${httpsUrl}/token`,
      purpose: 'token',
      form: { a: '1' },
    });
    expect(response.body).toEqual({ method: 'POST', path: '/token' });
    expect(counts.connects).toEqual([new URL(httpsUrl).host]);
  });

  it('sends an http request to the proxy in absolute form', async () => {
    const http = createHttpClient({ network: { proxy: `http://127.0.0.1:${proxyPort}` } });
    const response = await http.request({ url: `${httpUrl}/userinfo?x=1`, purpose: 'userinfo' });
    expect(response.body).toEqual({ method: 'GET', path: '/userinfo?x=1' });
    expect(counts.forwarded).toEqual([new URL(httpUrl).host]);
  });

  it('authenticates to the proxy with the credentials of its URL', async () => {
    const http = createHttpClient({
      network: { proxy: `http://${proxyUser}:${proxyPassword}@127.0.0.1:${authProxyPort}`, ca },
    });
    await expect(http.request({ url: `${httpsUrl}/a`, purpose: 'api' })).resolves.toMatchObject({
      status: 200,
    });
    await expect(http.request({ url: `${httpUrl}/b`, purpose: 'api' })).resolves.toMatchObject({
      status: 200,
    });
    expect(counts.connects).toHaveLength(1);
    expect(counts.forwarded).toHaveLength(1);
  });

  it('maps a 407 to invalid_config and never shows the credentials, not even a prefix', async () => {
    const wrongPassword = 'wr0ng-pr0xy-secret-value';
    const redactor = new SecretRedactor();
    const http = createHttpClient({
      redactor,
      network: { proxy: `http://${proxyUser}:${wrongPassword}@127.0.0.1:${authProxyPort}`, ca },
    });
    for (const url of [`${httpsUrl}/a`, `${httpUrl}/b`]) {
      const error = await failureOf(http.request({ url, purpose: 'api' }));
      expect(error.code).toBe('invalid_config');
      expect(error.message).toContain(
        `the proxy 127.0.0.1:${authProxyPort} requires authentication (HTTP 407)`,
      );
      const shown = everythingShown(error);
      expect(shown).not.toContain(wrongPassword.slice(0, 6));
      expect(shown).not.toContain(proxyUser);
      expect(shown).not.toContain(
        Buffer.from(`${proxyUser}:${wrongPassword}`).toString('base64').slice(0, 8),
      );
    }
    expect(redactor.holdsSecret(`x ${wrongPassword} y`)).toBe(true);
  });

  it('names a proxy that refuses the connection, without retrying it', async () => {
    const closed = createTcpServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const http = createHttpClient({
      network: { proxy: `http://${proxyUser}:${proxyPassword}@127.0.0.1:${port}` },
    });
    const error = await failureOf(http.request({ url: `${httpsUrl}/a`, purpose: 'api' }));
    expect(error.code).toBe('general');
    expect(error.message).toContain(`the proxy 127.0.0.1:${port} refused the connection`);
    expect(everythingShown(error)).not.toContain(proxyPassword.slice(0, 6));
  });

  it('ends at the deadline when the proxy never answers, naming it', async () => {
    const port = (silentProxy.address() as AddressInfo).port;
    const http = createHttpClient({
      timeoutMs: 300,
      network: { proxy: `http://127.0.0.1:${port}` },
    });
    const error = await failureOf(http.request({ url: `${httpsUrl}/a`, purpose: 'api' }));
    expect(error.message).toContain('did not answer within 300 ms');
    expect(error.message).toContain(`through the proxy 127.0.0.1:${port}`);
  });

  it('goes direct for hosts listed in network.noProxy', async () => {
    const http = createHttpClient({
      network: { proxy: `http://127.0.0.1:${proxyPort}`, noProxy: 'localhost,127.0.0.1', ca },
    });
    await expect(http.request({ url: `${httpsUrl}/a`, purpose: 'api' })).resolves.toMatchObject({
      status: 200,
    });
    expect(counts.connects).toEqual([]);
  });
});

describe('the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)', () => {
  it('uses HTTPS_PROXY for https URLs and HTTP_PROXY for http ones, redacting their credentials', async () => {
    process.env.HTTPS_PROXY = `http://${proxyUser}:${proxyPassword}@127.0.0.1:${authProxyPort}`;
    process.env.http_proxy = `http://${proxyUser}:${proxyPassword}@127.0.0.1:${authProxyPort}`;
    const redactor = new SecretRedactor();
    const http = createHttpClient({ network: { ca }, redactor });
    await http.request({ url: `${httpsUrl}/a`, purpose: 'api' });
    await http.request({ url: `${httpUrl}/b`, purpose: 'api' });
    expect(counts).toEqual({
      connects: [new URL(httpsUrl).host],
      forwarded: [new URL(httpUrl).host],
    });
    expect(redactor.holdsSecret(proxyPassword)).toBe(true);
  });

  it('goes through HTTPS_PROXY without any network option, trusting nothing extra', async () => {
    process.env.https_proxy = `http://127.0.0.1:${proxyPort}`;
    const error = await failureOf(
      createHttpClient().request({ url: `${httpsUrl}/a`, purpose: 'api' }),
    );
    // The tunnel was made; the self-signed provider is then refused, with the way out named.
    expect(counts.connects).toHaveLength(1);
    expect(error.message).toContain('is not trusted');
    expect(error.message).toContain('network.ca');
  });

  it('bypasses the proxy for NO_PROXY hosts', async () => {
    process.env.HTTPS_PROXY = `http://127.0.0.1:${proxyPort}`;
    process.env.HTTP_PROXY = `http://127.0.0.1:${proxyPort}`;
    process.env.NO_PROXY = `example.com, 127.0.0.1:${new URL(httpsUrl).port}`;
    const http = createHttpClient({ network: { ca } });
    await http.request({ url: `${httpsUrl}/a`, purpose: 'api' });
    expect(counts.connects).toEqual([]);
    // Another port of the same host is not listed: it goes through the proxy.
    await http.request({ url: `${httpUrl}/b`, purpose: 'api' });
    expect(counts.forwarded).toEqual([new URL(httpUrl).host]);
  });

  it('prefers the configured proxy to the environment', async () => {
    process.env.HTTPS_PROXY = 'http://127.0.0.1:1';
    const http = createHttpClient({ network: { proxy: `http://127.0.0.1:${proxyPort}`, ca } });
    await http.request({ url: `${httpsUrl}/a`, purpose: 'api' });
    expect(counts.connects).toHaveLength(1);
  });

  it('reports an environment proxy that is not a URL as invalid_config, naming the variable', async () => {
    process.env.HTTPS_PROXY = 'socks5://user:hunter2-secret@127.0.0.1:1080';
    const error = await failureOf(
      createHttpClient().request({ url: `${httpsUrl}/a`, purpose: 'api' }),
    );
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('HTTPS_PROXY');
    expect(everythingShown(error)).not.toContain('hunter2');
  });
});

describe('network.ca without a proxy', () => {
  it('trusts a private CA for a direct request', async () => {
    const response = await createHttpClient({ network: { ca } }).request({
      url: `${httpsUrl}/a`,
      purpose: 'api',
    });
    expect(response.status).toBe(200);
    expect(counts.connects).toEqual([]);
  });
});
