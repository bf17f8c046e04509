import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorError } from '@logto/connector-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from './http';
import { SecretRedactor } from './secrets';

/**
 * Redirects on real loopback sockets (two origins: two ports). Requests that carry credentials
 * never follow one; discovery and JWKS follow same-origin ones only. The other origin records
 * everything it receives, which must be nothing.
 */

type Received = { path: string; body: string; authorization: string | undefined };
const listen = async (
  handler: (request: IncomingMessage, body: string) => [number, Record<string, string>, string],
) => {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      received.push({
        path: request.url ?? '/',
        body,
        authorization: request.headers.authorization,
      });
      const [status, headers, text] = handler(request, body);
      response.writeHead(status, headers);
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url, received, stop };
};

let target: Awaited<ReturnType<typeof listen>>;
let provider: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  target = await listen(() => [
    200,
    { 'content-type': 'application/json' },
    '{"access_token":"stolen","keys":[]}',
  ]);
  provider = await listen((request) => {
    const path = request.url ?? '/';
    if (path.startsWith('/cross-')) {
      const status = path.slice('/cross-'.length, '/cross-'.length + 3);
      return [Number(status), { location: `${target.url}/collect` }, ''];
    }
    if (path === '/moved') {
      return [301, { location: '/jwks' }, ''];
    }
    if (path === '/jwks') {
      return [200, { 'content-type': 'application/json' }, '{"keys":[]}'];
    }
    return [302, { location: path }, ''];
  });
});
afterAll(async () => {
  await provider.stop();
  await target.stop();
});
beforeEach(() => {
  target.received.length = 0;
  provider.received.length = 0;
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the request succeeded'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(ConnectorError);
      return error as ConnectorError;
    },
  );

describe('redirects', () => {
  it.each([307, 308, 302])(
    'never follows a %s from the token endpoint: the other origin receives nothing',
    async (status) => {
      const error = await failure(
        createHttpClient().request({
          url: `${provider.url}/cross-${status}/token`,
          purpose: 'token',
          headers: { authorization: 'Basic aWQ6c2VjcmV0LXZhbHVl' },
          form: { grant_type: 'authorization_code', code: 'the-code', client_secret: 'the-secret' },
        }),
      );
      expect(error.code).toBe('invalid_response');
      expect(error.message).toContain(
        `token endpoint ${provider.url}/cross-${status}/token redirected`,
      );
      expect(error.data).toMatchObject({ status, stage: 'token' });
      expect(provider.received).toHaveLength(1);
      expect(target.received).toEqual([]);
    },
  );

  it('never follows a redirect of a user info request (it carries the access token)', async () => {
    const error = await failure(
      createHttpClient().request({
        url: `${provider.url}/cross-307/userinfo`,
        purpose: 'userinfo',
        headers: { authorization: 'Bearer the-access-token' },
      }),
    );
    expect(error.code).toBe('invalid_response');
    expect(target.received).toEqual([]);
  });

  it('follows a same-origin redirect of a key set, refuses one to another origin', async () => {
    const response = await createHttpClient().request({
      url: `${provider.url}/moved`,
      purpose: 'jwks',
    });
    expect(response.body).toEqual({ keys: [] });
    const error = await failure(
      createHttpClient().request({ url: `${provider.url}/cross-302/jwks`, purpose: 'jwks' }),
    );
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain(target.url.replace('http://', 'http://'));
    expect(target.received).toEqual([]);
  });

  it('ends a same-origin redirect loop of a discovery read', async () => {
    const error = await failure(
      createHttpClient().request({ url: `${provider.url}/loop`, purpose: 'discovery' }),
    );
    expect(error.code).toBe('invalid_response');
    expect(error.message).toMatch(/redirected more than 5 times/);
  });
});

describe('credentials a request carries', () => {
  it('registers the Basic header, form secrets and URL credentials with the redactor when the request is built', async () => {
    const echo = await listen((request, body) => [
      400,
      { 'content-type': 'text/plain' },
      `you sent ${request.headers.authorization} and ${body}`,
    ]);
    try {
      const redactor = new SecretRedactor();
      const basic = `Basic ${Buffer.from('client:s3cr3t-client-secret').toString('base64')}`;
      const error = await failure(
        createHttpClient({ redactor }).request({
          url: `${echo.url}/token`,
          purpose: 'token',
          headers: { authorization: basic },
          form: { code: 'authorization-code-1', code_verifier: 'verifier-value-123' },
        }),
      );
      const text = `${error.message} ${JSON.stringify(error.data)}`;
      for (const secret of [
        basic,
        's3cr3t-client-secret',
        'authorization-code-1',
        'verifier-value-123',
      ]) {
        expect(text).not.toContain(secret);
        expect(redactor.redactText(`x ${secret} y`)).not.toContain(secret);
      }
      expect(text).not.toContain(basic.slice(6, 20));
    } finally {
      await echo.stop();
    }
  });

  it('redacts a body before cutting its excerpt, so no prefix of a secret survives at the cut', async () => {
    const secret = 'straddling-client-secret-0123456789abcdef';
    // The secret starts 10 characters before the 200-character cut.
    const body = `${'x'.repeat(190)}${secret} and more`;
    const echo = await listen(() => [500, { 'content-type': 'text/plain' }, body]);
    try {
      const error = await failure(
        createHttpClient({ retries: 0 }).request({
          url: `${echo.url}/token`,
          purpose: 'token',
          form: { client_secret: secret },
        }),
      );
      const text = `${error.message} ${JSON.stringify(error.data)}`;
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(secret.slice(0, 8));
    } finally {
      await echo.stop();
    }
  });
});

describe('the cause of a network failure', () => {
  it('is kept, redacted and non-enumerable', async () => {
    const error = await failure(
      createHttpClient({ retries: 0 }).request({
        url: 'http://127.0.0.1:1/token',
        purpose: 'token',
        form: { client_secret: 'never-shown-secret' },
      }),
    );
    const { cause } = error as Error & { cause?: Error & { code?: string } };
    expect(cause).toBeInstanceOf(Error);
    expect(Object.keys(error)).not.toContain('cause');
    expect(JSON.stringify(error)).not.toContain('cause');
    expect(error.data).toMatchObject({ provider: '127.0.0.1:1', stage: 'token' });
  });
});
