import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A provider that misbehaves on purpose, on real loopback sockets (not msw: timeouts, trickling
 * bodies and resets only mean something on a real connection). Every request, whatever its path,
 * gets the current fault.
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
  'redirect-loop': 'general',
};

const htmlPage = (status: number) =>
  `<!doctype html><html><head><title>${status}</title></head><body><h1>Error ${status}</h1><p>The server is having a bad day.</p></body></html>`;

export type FaultServer = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  fault: Fault;
  /** Requests received since the last `reset()`. */
  readonly requests: { method: string; path: string }[];
  reset(fault: Fault): void;
  stop(): Promise<void>;
};

const respond = (fault: Fault, request: IncomingMessage, response: ServerResponse) => {
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
  }
};

export const startFaultServer = async (initial: Fault = 'no-response'): Promise<FaultServer> => {
  const sockets = new Set<Socket>();
  const hung = new Set<Socket>();
  const requests: { method: string; path: string }[] = [];
  let current: Fault = initial;
  const server: Server = createServer((request, response) => {
    requests.push({ method: request.method ?? 'GET', path: request.url ?? '/' });
    // Drain the request body so a POST does not stall; one request per connection, so that
    // `reset()` closing the sockets of a hung cell never breaks the next cell's request.
    request.resume();
    response.setHeader('connection', 'close');
    if (current === 'no-response' || current === 'slow-body') {
      hung.add(request.socket);
    }
    respond(current, request, response);
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
    reset(fault) {
      current = fault;
      requests.length = 0;
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
    },
  };
};
