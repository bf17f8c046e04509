import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault switch in front of every emulator that listens through `listenOnLoopback`: while a fault
 * is on, each back-channel request (what a connector sends: discovery, token, userinfo, send APIs)
 * gets the fault instead of the emulator's answer, so the playground can show the error a
 * connector gives for it. Page loads of a browser pass untouched, so a sign-in still reaches the
 * emulator's own pages and the fault hits the calls that follow.
 *
 * Why here and not a proxy the playground puts in front: an emulator's URLs are baked into what it
 * answers (issuer, discovery document, redirects, form_post pages), so a front on another port
 * would have to rewrite them; a switch on the emulator's own server needs none of that, and every
 * emulator gets it from the one shared `listenOnLoopback`.
 *
 * The faults are the playground's subset of the fault matrix (`@idplug/testing`'s fault server):
 * that package is a published test library that imports vitest, so a running playground does not
 * load it; the names and the answers follow it (`html-503`, `rate-limited`, `invalid-json`).
 */

export const emulatorFaults = [
  'slow',
  'html-503',
  'rate-limited',
  'connection-reset',
  'invalid-json',
] as const;

export type EmulatorFault = (typeof emulatorFaults)[number];

/**
 * How long `slow` holds each answer. Longer than a short connector timeout (1000-2999 ms: the
 * connector reports that it got no answer in time), shorter than the default 10 s (the run only
 * takes longer), so the user picks which one to see through the connector's `timeout` field.
 */
export const slowFaultDelayMs = 3000;

/** Seconds the `rate-limited` answer asks to wait: longer than a client ever retries within. */
export const rateLimitRetryAfterSeconds = 30;

/** What each fault does, for a control that offers them. */
export const emulatorFaultDescriptions: Readonly<Record<EmulatorFault, string>> = {
  slow: `Slow: every answer comes ${slowFaultDelayMs / 1000} s late (set the connector's timeout below ${slowFaultDelayMs} ms to see a timeout)`,
  'html-503': '5xx HTML: 503 Service Unavailable with an HTML error page',
  'rate-limited': `429 Too Many Requests with Retry-After: ${rateLimitRetryAfterSeconds}`,
  'connection-reset': 'Connection reset: the socket is reset before any answer',
  'invalid-json': 'Bad JSON: 200 with a truncated JSON body',
};

export const isEmulatorFault = (value: unknown): value is EmulatorFault =>
  (emulatorFaults as readonly unknown[]).includes(value);

/** The fault switched on per emulator, by its loopback port (each emulator has its own). */
const faultsByPort = new Map<number, EmulatorFault>();
/** Ports of the servers that have a switch (listening through `listenOnLoopback`). */
const switchablePorts = new Set<number>();

const portOf = (url: string): number | undefined => {
  try {
    const parsed = new URL(url);
    return parsed.hostname === '127.0.0.1' && parsed.port !== '' ? Number(parsed.port) : undefined;
  } catch {
    return undefined;
  }
};

/** Whether the emulator at `url` (its base URL or any URL on it) has a fault switch. */
export const hasFaultSwitch = (url: string): boolean => {
  const port = portOf(url);
  return port !== undefined && switchablePorts.has(port);
};

/** The fault on at the emulator at `url`, if any. */
export const emulatorFaultAt = (url: string): EmulatorFault | undefined => {
  const port = portOf(url);
  return port === undefined ? undefined : faultsByPort.get(port);
};

/** Switches a fault on at the emulator at `url`, or off with `undefined`. */
export const setEmulatorFault = (url: string, fault: EmulatorFault | undefined): void => {
  const port = portOf(url);
  if (port === undefined || !switchablePorts.has(port)) {
    throw new Error(`No emulator with a fault switch listens at ${url}`);
  }
  if (fault === undefined) {
    faultsByPort.delete(port);
  } else {
    faultsByPort.set(port, fault);
  }
};

/**
 * A browser loading a page, an image or a form post (Fetch Metadata: every browser request carries
 * `Sec-Fetch-Dest`, `document` for a page). Node's fetch, which connectors call through, sends no
 * `Sec-Fetch-Dest`, and a page's own `fetch()` would say `empty`: those are back-channel calls.
 */
const isBrowserPageLoad = (request: IncomingMessage): boolean => {
  const destination = request.headers['sec-fetch-dest'];
  return typeof destination === 'string' && destination !== 'empty';
};

const errorPage = (status: number, reason: string) =>
  `<!doctype html><html><head><title>${status} ${reason}</title></head><body><h1>${status} ${reason}</h1><p>The emulator answers with this page because a fault is switched on.</p></body></html>`;

const answerWithFault = (
  fault: Exclude<EmulatorFault, 'slow'>,
  request: IncomingMessage,
  response: ServerResponse,
) => {
  // Read and drop the body, so the answer is not taken for a broken upload.
  request.resume();
  response.setHeader('connection', 'close');
  switch (fault) {
    case 'html-503':
      response.writeHead(503, { 'content-type': 'text/html; charset=utf-8' });
      response.end(errorPage(503, 'Service Unavailable'));
      return;
    case 'rate-limited':
      response.writeHead(429, {
        'content-type': 'text/html; charset=utf-8',
        'retry-after': String(rateLimitRetryAfterSeconds),
      });
      response.end(errorPage(429, 'Too Many Requests'));
      return;
    case 'connection-reset':
      // A TCP RST, not a clean close: what a crashing load balancer or a firewall does.
      request.socket.resetAndDestroy();
      return;
    case 'invalid-json':
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end('{"access_token": "emulator-fault", ');
      return;
  }
};

const serversWithSwitch = new WeakSet<Server>();

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Puts the switch in front of the server's request handlers (call before `listen`; the emulators'
 * `listenOnLoopback` does). A server without a fault on answers exactly as before.
 */
export const installFaultSwitch = (server: Server): void => {
  // Once per server, even if it listens again.
  if (serversWithSwitch.has(server)) {
    return;
  }
  serversWithSwitch.add(server);
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  let port: number | undefined;
  server.on('listening', () => {
    port = (server.address() as AddressInfo).port;
    switchablePorts.add(port);
  });
  server.on('close', () => {
    if (port !== undefined) {
      switchablePorts.delete(port);
      faultsByPort.delete(port);
    }
  });
  const dispatch: RequestListener = (request, response) => {
    for (const handler of handlers) {
      handler.call(server, request, response);
    }
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const fault = port === undefined ? undefined : faultsByPort.get(port);
    if (fault === undefined || isBrowserPageLoad(request)) {
      return dispatch(request, response);
    }
    if (fault === 'slow') {
      const timer = setTimeout(() => {
        // The client gave up (its timeout): nobody is left to answer.
        if (!response.destroyed && !request.socket.destroyed) {
          dispatch(request, response);
        }
      }, slowFaultDelayMs);
      response.on('close', () => clearTimeout(timer));
      return;
    }
    return answerWithFault(fault, request, response);
  });
};
