import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A provider that misbehaves on purpose, on real loopback sockets (not msw: timeouts, trickling
 * bodies, resets and redirects only mean something on a real connection). Every request, whatever
 * its path, gets the current fault. Besides broken transports it plays a hostile provider:
 * redirects to another origin (a second server that records whatever reaches it, which must be
 * nothing), error bodies that echo the request's credentials back (placed across the 200-character
 * excerpt cut), and a token of a type no client understands.
 */

export const faults = [
  'no-response',
  'slow-body',
  'reset-mid-body',
  'html-500',
  'html-502',
  'html-503',
  'rate-limited',
  'invalid-json',
  'json-array',
  'json-null',
  'oversized-body',
  'wrong-content-type',
  'redirect-loop',
  'redirect-307-cross-origin',
  'redirect-308-cross-origin',
  'echo-request',
  'echo-oauth-error',
  'token-type-mac',
] as const;

export type Fault = (typeof faults)[number];

/** What each fault must come out as, per the base package's error table. */
export const expectedFaultCodes: Readonly<Record<Fault, string>> = {
  'no-response': 'general',
  'slow-body': 'general',
  'reset-mid-body': 'general',
  'html-500': 'general',
  'html-502': 'general',
  'html-503': 'general',
  'rate-limited': 'rate_limit_exceeded',
  'invalid-json': 'invalid_response',
  'json-array': 'invalid_response',
  'json-null': 'invalid_response',
  'oversized-body': 'invalid_response',
  'wrong-content-type': 'invalid_response',
  // Requests that carry credentials follow no redirect; discovery and JWKS reads follow
  // same-origin ones only, a bounded number of times.
  'redirect-loop': 'invalid_response',
  'redirect-307-cross-origin': 'invalid_response',
  'redirect-308-cross-origin': 'invalid_response',
  // A 400 that is no OAuth error, and one whose `invalid_request` the table does not map.
  'echo-request': 'general',
  'echo-oauth-error': 'general',
  // RFC 6749 §7.1: a token of an unknown type is refused; elsewhere the answer is no usable body.
  'token-type-mac': 'invalid_response',
};

/** Where an echoed credential starts in an `echo-request` body: across the 200-character cut. */
export const echoedCredentialOffset = 190;

const htmlPage = (status: number) =>
  `<!doctype html><html><head><title>${status}</title></head><body><h1>Error ${status}</h1><p>The server is having a bad day.</p></body></html>`;

export type FaultRequest = {
  method: string;
  path: string;
  /**
   * The credentials the request carried (the `Authorization` value and what a Basic value
   * decodes to, `client_secret`, `client_assertion`, `code`, `code_verifier`, `refresh_token`):
   * none may appear in the connector's error.
   */
  credentials: string[];
};

export type FaultServer = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  fault: Fault;
  /** Requests received since the last `reset()`. */
  readonly requests: FaultRequest[];
  /** Another origin the redirect faults point at: what reached it since the last `reset()`. */
  readonly redirectTarget: { url: string; requests: FaultRequest[] };
  reset(fault: Fault): void;
  stop(): Promise<void>;
};

const credentialFields = [
  'client_secret',
  'client_assertion',
  'code',
  'code_verifier',
  'refresh_token',
  'access_token',
  'password',
];

/** The credentials of a request, most sensitive first. */
const credentialsOf = (request: IncomingMessage, body: string): string[] => {
  const credentials: string[] = [];
  const authorization = request.headers.authorization;
  if (authorization) {
    credentials.push(authorization);
    const [scheme, value = ''] = authorization.split(/\s+/, 2);
    credentials.push(value);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      credentials.push(
        decodeURIComponent(decoded.slice(decoded.indexOf(':') + 1).replace(/\+/g, ' ')),
      );
    }
  }
  const form = new URLSearchParams(body);
  for (const name of credentialFields) {
    const value = form.get(name);
    if (value) {
      credentials.push(value);
    }
  }
  return credentials.filter((credential) => credential.length > 0);
};

/** What a careless provider echoes: the request's headers and body, a credential across the cut. */
const echoOf = (request: IncomingMessage, body: string, credentials: readonly string[]): string => {
  const echoed = `authorization=${request.headers.authorization ?? '(none)'};body=${body}`;
  const first = credentials[0];
  if (!first) {
    return echoed;
  }
  const lead = `request-rejected;echo:`;
  return `${lead}${'x'.repeat(echoedCredentialOffset - lead.length)}${first};${echoed}`;
};

const respond = (
  fault: Fault,
  request: IncomingMessage,
  response: ServerResponse,
  context: { body: string; credentials: string[]; redirectTargetUrl: string },
) => {
  switch (fault) {
    case 'no-response':
      // Headers never come; the client's deadline must end the call.
      return;
    case 'slow-body': {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"access_token":');
      const timer = setInterval(() => response.write(' '), 100);
      response.on('close', () => clearInterval(timer));
      return;
    }
    case 'reset-mid-body':
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      response.write('{"access_token":"abc","token_type":');
      setTimeout(() => request.socket.resetAndDestroy(), 20);
      return;
    case 'html-500':
    case 'html-502':
    case 'html-503': {
      const status = Number(fault.slice(5));
      response.writeHead(status, { 'content-type': 'text/html' });
      response.end(htmlPage(status));
      return;
    }
    case 'rate-limited':
      response.writeHead(429, { 'content-type': 'text/html', 'retry-after': '120' });
      response.end(htmlPage(429));
      return;
    case 'invalid-json':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"access_token": "abc", ');
      return;
    case 'json-array':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('[]');
      return;
    case 'json-null':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('null');
      return;
    case 'oversized-body': {
      // 10 MB, streamed; a client must stop reading long before the end.
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const write = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', write);
            return;
          }
        }
        response.end();
      };
      response.write('{"padding":"');
      write();
      return;
    }
    case 'wrong-content-type':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(htmlPage(200));
      return;
    case 'redirect-loop':
      response.writeHead(302, { location: request.url ?? '/' });
      response.end();
      return;
    case 'redirect-307-cross-origin':
    case 'redirect-308-cross-origin':
      // 307 and 308 tell a client to repeat the method AND the body (RFC 9110 §15.4.8, §15.4.9).
      response.writeHead(Number(fault.slice(9, 12)), {
        location: `${context.redirectTargetUrl}${request.url ?? '/'}`,
      });
      response.end();
      return;
    case 'echo-request':
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(echoOf(request, context.body, context.credentials));
      return;
    case 'echo-oauth-error':
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: 'invalid_request',
          error_description: echoOf(request, context.body, context.credentials),
        }),
      );
      return;
    case 'token-type-mac':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          access_token: 'fault-server-mac-access-token',
          token_type: 'mac',
          mac_key: 'fault-server-mac-key',
          mac_algorithm: 'hmac-sha-256',
          expires_in: 3600,
        }),
      );
      return;
  }
};

/** A server that only records what reaches it (the other origin of the redirect faults). */
const startRecorder = async () => {
  const requests: FaultRequest[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      requests.push({
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        credentials: credentialsOf(request, body),
      });
      response.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      response.end('{"access_token":"stolen","token_type":"Bearer","keys":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, requests, stop };
};

export const startFaultServer = async (initial: Fault = 'no-response'): Promise<FaultServer> => {
  const sockets = new Set<Socket>();
  const hung = new Set<Socket>();
  const requests: FaultRequest[] = [];
  const recorder = await startRecorder();
  let current: Fault = initial;
  const server: Server = createServer((request, response) => {
    // Read the whole request body first (credentials are recorded and echoed); one request per
    // connection, so that `reset()` closing the sockets of a hung cell never breaks the next
    // cell's request.
    const fault = current;
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const credentials = credentialsOf(request, body);
      requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', credentials });
      response.setHeader('connection', 'close');
      if (fault === 'no-response' || fault === 'slow-body') {
        hung.add(request.socket);
      }
      respond(fault, request, response, { body, credentials, redirectTargetUrl: recorder.url });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get fault() {
      return current;
    },
    set fault(value: Fault) {
      current = value;
    },
    requests,
    redirectTarget: { url: recorder.url, requests: recorder.requests },
    reset(fault) {
      current = fault;
      requests.length = 0;
      recorder.requests.length = 0;
      // End what the previous cell left hanging (no-response, slow-body), nothing else.
      for (const socket of hung) {
        socket.destroy();
      }
      hung.clear();
    },
    async stop() {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await recorder.stop();
    },
  };
};
