import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorError } from '@logto/connector-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from './http';

// Real sockets on loopback: the deadline must cover a body that trickles, not only the headers.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/trickle') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"a":');
      const timer = setInterval(() => response.write(' '), 50);
      response.on('close', () => clearInterval(timer));
      return;
    }
    if (request.url === '/reset') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"partial":');
      setTimeout(() => request.socket.destroy(), 20);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('deadlines on real sockets', () => {
  it('ends a slowly trickling body at the deadline', async () => {
    const started = Date.now();
    const error = await createHttpClient({ timeoutMs: 300, retries: 0 })
      .request({ url: `${base}/trickle`, purpose: 'api' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('general');
    expect(JSON.stringify((error as ConnectorError).data)).toContain(
      'did not answer within 300 ms',
    );
    // The body trickles for ever: ending at all, near the 300 ms deadline, is what matters.
    expect(Date.now() - started).toBeLessThan(300 + 5000);
  });

  it('ends a trickling body at the deadline when the answer is read as text', async () => {
    const error = await createHttpClient({ timeoutMs: 300, retries: 0 })
      .request({ url: `${base}/trickle`, purpose: 'send', method: 'POST', responseType: 'text' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(JSON.stringify((error as ConnectorError).data)).toContain(
      'did not answer within 300 ms',
    );
  });

  it('reports a connection reset mid-body as a connector error', async () => {
    const error = await createHttpClient({ timeoutMs: 2000, retries: 0 })
      .request({ url: `${base}/reset`, purpose: 'token', form: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
  });

  it('reads a normal answer', async () => {
    const response = await createHttpClient().request({ url: `${base}/ok`, purpose: 'api' });
    expect(response.body).toEqual({ ok: true });
  });
});
