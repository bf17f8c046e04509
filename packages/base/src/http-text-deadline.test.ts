import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorError } from '@logto/connector-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttpClient } from './http';

// A real socket: the body trickles and never ends.
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.write('accepted');
  const timer = setInterval(() => response.write(' '), 50);
  response.on('close', () => clearInterval(timer));
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('does not pass a text body cut by the deadline as a success', async () => {
  const client = createHttpClient({ timeoutMs: 300 });
  const outcome = await client
    .request({ method: 'POST', url, purpose: 'send', json: {}, responseType: 'text' })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(outcome).toBeInstanceOf(ConnectorError);
  expect((outcome as ConnectorError).code).toBe('general');
  expect(JSON.stringify((outcome as ConnectorError).data)).toMatch(/did not answer within 300 ms/);
});
