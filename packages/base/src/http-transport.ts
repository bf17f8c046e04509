import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Readable } from 'node:stream';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import type { ProxyRoute } from './network';

/**
 * A `fetch` on node:http, node:net and node:tls, for what Node 20's global fetch cannot do: go
 * through an HTTP proxy and trust extra roots. An https URL goes through the proxy in a CONNECT
 * tunnel (RFC 9110 §9.3.6) and TLS runs end to end inside it; an http URL is sent to the proxy in
 * absolute form (RFC 9112 §3.2.2). A few dozen lines instead of bundling undici's ProxyAgent (which
 * would add hundreds of kilobytes to every connector tarball). One connection per request (no
 * pool): a connector makes a handful of calls per sign-in or send. Redirects are never followed
 * here; base's request loop decides (`redirect: 'manual'`).
 */

/** What went wrong on the way, before the provider answered: http.ts turns it into the message. */
export class TransportFailure extends Error {
  constructor(
    readonly code: ConnectorErrorCodes,
    readonly description: string,
    options?: { cause?: unknown },
  ) {
    super(description, options);
    this.name = 'TransportFailure';
  }
}

export type TransportOptions = {
  /** The proxy this request goes through, if any. */
  proxy?: ProxyRoute;
  /** PEM certificates added to Node's roots, for the provider's TLS and an https proxy's. */
  ca?: readonly string[];
};

const errorCode = (error: unknown): string | undefined =>
  (error as { code?: string } | undefined)?.code;

/** Why the proxy could not be used, naming it (host:port, never its credentials). */
const describeProxyError = (error: unknown, proxy: ProxyRoute): TransportFailure => {
  const code = errorCode(error);
  const description =
    code === 'ECONNREFUSED'
      ? `the proxy ${proxy.address} refused the connection`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the proxy host ${proxy.url.hostname} could not be resolved`
        : code === 'ECONNRESET' || code === 'EPIPE'
          ? `the proxy ${proxy.address} closed the connection`
          : code?.startsWith('ERR_TLS') || code?.includes('CERT')
            ? `the TLS certificate of the proxy ${proxy.address} is not trusted (${code}); add its CA to network.ca`
            : `the proxy ${proxy.address} could not be reached (${code ?? (error instanceof Error ? error.message : String(error))})`;
  return new TransportFailure(
    ConnectorErrorCodes.General,
    `${description} (proxy from ${proxy.source})`,
    {
      cause: error,
    },
  );
};

const trustedRoots = (ca: readonly string[] | undefined) =>
  ca && ca.length > 0 ? { ca: [...tls.rootCertificates, ...ca] } : {};

/** Resolves when `socket` emits `readyEvent`, rejects on its first error or on abort. */
const whenReady = <Socket extends net.Socket>(
  socket: Socket,
  readyEvent: string,
  signal: AbortSignal,
): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    const onError = (error: Error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once(readyEvent, () => {
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      resolve(socket);
    });
    socket.once('error', onError);
  });

/** A TCP (or TLS, for an https proxy) connection to the proxy itself. */
const connectToProxy = async (
  proxy: ProxyRoute,
  options: TransportOptions,
  signal: AbortSignal,
) => {
  const host = proxy.url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(proxy.address.slice(proxy.address.lastIndexOf(':') + 1));
  try {
    return proxy.url.protocol === 'https:'
      ? await whenReady(
          tls.connect({
            host,
            port,
            ...(!net.isIP(host) && { servername: host }),
            ...trustedRoots(options.ca),
          }),
          'secureConnect',
          signal,
        )
      : await whenReady(net.connect({ host, port }), 'connect', signal);
  } catch (error: unknown) {
    throw signal.aborted ? error : describeProxyError(error, proxy);
  }
};

/** A CONNECT tunnel through the proxy to `target` (host:port), answered 2xx. */
export const openTunnel = async (
  proxy: ProxyRoute,
  target: string,
  options: TransportOptions,
  signal: AbortSignal,
): Promise<net.Socket> => {
  const proxySocket = await connectToProxy(proxy, options, signal);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      proxySocket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const connect = http.request({
      method: 'CONNECT',
      path: target,
      headers: {
        host: target,
        ...(proxy.authorization && { 'proxy-authorization': proxy.authorization }),
      },
      createConnection: () => proxySocket,
    });
    connect.once('connect', (response: IncomingMessage, socket: net.Socket, head: Buffer) => {
      signal.removeEventListener('abort', onAbort);
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        if (head.length > 0) {
          socket.unshift(head);
        }
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(proxyRefusal(proxy, status, target));
    });
    connect.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(signal.aborted ? signal.reason : describeProxyError(error, proxy));
    });
    connect.end();
  });
};

/** A proxy's answer that is not the tunnel or the provider's answer: 407 is the config's fault. */
const proxyRefusal = (proxy: ProxyRoute, status: number, target: string): TransportFailure =>
  status === 407
    ? new TransportFailure(
        ConnectorErrorCodes.InvalidConfig,
        `the proxy ${proxy.address} requires authentication (HTTP 407) and ${
          proxy.authorization ? 'refused the credentials' : 'none were given'
        }; set user:password in the proxy URL (${proxy.source})`,
      )
    : new TransportFailure(
        ConnectorErrorCodes.General,
        `the proxy ${proxy.address} refused to connect to ${target} (HTTP ${status}) (proxy from ${proxy.source})`,
      );

const defaultPort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** TLS to the provider over `socket` (a tunnel) or a new TCP connection. */
const connectToOrigin = async (
  url: URL,
  options: TransportOptions,
  signal: AbortSignal,
  socket?: net.Socket,
): Promise<net.Socket> => {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(defaultPort(url));
  if (url.protocol !== 'https:') {
    return socket ?? whenReady(net.connect({ host, port }), 'connect', signal);
  }
  try {
    return await whenReady(
      tls.connect({
        ...(socket ? { socket } : { host, port }),
        ...(!net.isIP(host) && { servername: host }),
        ALPNProtocols: ['http/1.1'],
        ...trustedRoots(options.ca),
      }),
      'secureConnect',
      signal,
    );
  } catch (error: unknown) {
    const code = errorCode(error);
    if (!signal.aborted && code && (code.includes('CERT') || code.startsWith('ERR_TLS'))) {
      throw new TransportFailure(
        ConnectorErrorCodes.General,
        `the TLS certificate of ${url.host} is not trusted (${code}); if a private CA or a TLS-intercepting proxy signs it, add that CA's PEM to network.ca`,
        { cause: error },
      );
    }
    throw error;
  }
};

const nullBodyStatuses = new Set([101, 204, 205, 304]);

const decodedBody = (response: IncomingMessage): Readable => {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) {
    return response;
  }
  response.once('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
};

const toResponse = (response: IncomingMessage): Response => {
  const headers = new Headers();
  for (let index = 0; index + 1 < response.rawHeaders.length; index += 2) {
    try {
      headers.append(
        response.rawHeaders[index] as string,
        response.rawHeaders[index + 1] as string,
      );
    } catch {
      // A header value fetch would refuse too: left out.
    }
  }
  const status = response.statusCode ?? 0;
  const body = nullBodyStatuses.has(status)
    ? null
    : (Readable.toWeb(decodedBody(response)) as ReadableStream<Uint8Array>);
  if (!body) {
    response.resume();
  }
  return new Response(body, { status, statusText: response.statusMessage ?? '', headers });
};

/** A `fetch` that goes through `proxyFor(url)` when it names a proxy, trusting `ca` too. */
export const createNodeFetch =
  (proxyFor: (url: URL) => ProxyRoute | undefined, ca?: readonly string[]): typeof fetch =>
  async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const signal = request.signal;
    const proxy = proxyFor(url);
    const options: TransportOptions = { ...(proxy && { proxy }), ...(ca && { ca }) };
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const tunnel =
      proxy && url.protocol === 'https:'
        ? await openTunnel(proxy, `${url.hostname}:${defaultPort(url)}`, options, signal)
        : proxy
          ? await connectToProxy(proxy, options, signal)
          : undefined;
    const socket = await connectToOrigin(url, options, signal, tunnel);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body) {
      headers['content-length'] = String(body.length);
    }
    // Through a proxy, a plain http request names the whole URL and carries the proxy's credentials.
    const absoluteForm = proxy !== undefined && url.protocol !== 'https:';
    if (absoluteForm && proxy.authorization) {
      headers['proxy-authorization'] = proxy.authorization;
    }
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = (url.protocol === 'https:' ? https : http).request({
        method: request.method,
        host: url.hostname,
        port: defaultPort(url),
        path: absoluteForm ? url.href : `${url.pathname}${url.search}`,
        headers,
        createConnection: () => socket,
      });
      const onAbort = () => {
        outgoing.destroy();
        socket.destroy();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      outgoing.once('response', (incoming: IncomingMessage) => {
        signal.removeEventListener('abort', onAbort);
        // An abort while the body streams ends the body with the abort's reason.
        signal.addEventListener('abort', () => incoming.destroy(signal.reason), { once: true });
        resolve(incoming);
      });
      outgoing.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? signal.reason : error);
      });
      outgoing.end(body);
    });
    if (absoluteForm && response.statusCode === 407) {
      response.resume();
      throw proxyRefusal(proxy, 407, url.host);
    }
    return toResponse(response);
  };
