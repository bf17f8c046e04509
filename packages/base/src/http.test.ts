import { ConnectorError } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, parseBody, parseRetryAfter } from './http';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const url = 'https://provider.example/token';
const client = createHttpClient({ timeoutMs: 2000 });

const failure = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
};

const tokenRequest = () =>
  client.request({ url, purpose: 'token', form: { grant_type: 'authorization_code' } });

describe('the error table', () => {
  it.each([
    ['invalid_grant', 'social_auth_code_invalid'],
    ['bad_verification_code', 'social_auth_code_invalid'],
    ['invalid_client', 'invalid_config'],
    ['unauthorized_client', 'invalid_config'],
    ['incorrect_client_credentials', 'invalid_config'],
    ['redirect_uri_mismatch', 'invalid_config'],
    ['access_denied', 'authorization_failed'],
    ['slow_down', 'rate_limit_exceeded'],
    ['invalid_request', 'general'],
    ['something_new', 'general'],
  ])(
    'maps an RFC 6749 §5.2 `%s` error body to %s, keeping the description',
    async (error, code) => {
      server.use(
        http.post(url, () =>
          HttpResponse.json({ error, error_description: 'why it failed' }, { status: 400 }),
        ),
      );
      const result = await failure(tokenRequest());
      expect(result.code).toBe(code);
      expect(result.data).toMatchObject({ providerCode: error, description: 'why it failed' });
      expect((result.data as { message: string }).message).toContain('why it failed');
    },
  );

  it('reads an error sent as a form body', async () => {
    server.use(
      http.post(
        url,
        () =>
          new HttpResponse('error=invalid_grant&error_description=expired+code', {
            status: 400,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
      ),
    );
    const result = await failure(tokenRequest());
    expect(result.code).toBe('social_auth_code_invalid');
    expect(result.data).toMatchObject({
      providerCode: 'invalid_grant',
      description: 'expired code',
    });
  });

  it('treats an `error` field in a 200 answer as an error (GitHub)', async () => {
    server.use(http.post(url, () => HttpResponse.json({ error: 'bad_verification_code' })));
    expect((await failure(tokenRequest())).code).toBe('social_auth_code_invalid');
  });

  it('maps a 401 from a userinfo endpoint to social_invalid_access_token', async () => {
    server.use(
      http.get('https://provider.example/userinfo', () => new HttpResponse(null, { status: 401 })),
    );
    const result = await failure(
      client.request({ url: 'https://provider.example/userinfo', purpose: 'userinfo' }),
    );
    expect(result.code).toBe('social_invalid_access_token');
  });

  it('maps 429 to rate_limit_exceeded with the Retry-After in data', async () => {
    server.use(
      http.post(
        url,
        () => new HttpResponse('slow down', { status: 429, headers: { 'retry-after': '30' } }),
      ),
    );
    const result = await failure(tokenRequest());
    expect(result.code).toBe('rate_limit_exceeded');
    expect(result.data).toMatchObject({
      retryAfter: 30,
      provider: 'provider.example',
      status: 429,
    });
  });

  it('maps a network failure to general naming the host', async () => {
    server.use(http.post(url, () => HttpResponse.error()));
    const result = await failure(tokenRequest());
    expect(result.code).toBe('general');
    expect((result.data as { message: string }).message).toContain(
      'Could not reach provider.example',
    );
  });

  it('maps a timeout to general naming the host and the timeout', async () => {
    server.use(http.post(url, () => new Promise(() => undefined)));
    const result = await failure(
      createHttpClient({ timeoutMs: 150 }).request({ url, purpose: 'token', form: {} }),
    );
    expect(result.code).toBe('general');
    expect((result.data as { message: string }).message).toBe(
      'provider.example did not answer within 150 ms',
    );
  });

  it('maps a malformed body to invalid_response with a short excerpt', async () => {
    server.use(
      http.post(
        url,
        () =>
          new HttpResponse(`<html>${'x'.repeat(1000)}</html>`, {
            headers: { 'content-type': 'text/html' },
          }),
      ),
    );
    const result = await failure(tokenRequest());
    expect(result.code).toBe('invalid_response');
    const { message } = result.data as { message: string };
    expect(message).toContain('<html>');
    expect(message.length).toBeLessThan(400);
  });

  it('reports a 5xx without an OAuth error as general with the status and an excerpt', async () => {
    server.use(http.post(url, () => new HttpResponse('<h1>Bad gateway</h1>', { status: 502 })));
    const result = await failure(tokenRequest());
    expect(result.code).toBe('general');
    expect(result.data).toMatchObject({ status: 502 });
    expect((result.data as { message: string }).message).toContain('Bad gateway');
  });

  it('refuses a body larger than the limit', async () => {
    server.use(http.get('https://provider.example/big', () => HttpResponse.text('x'.repeat(5000))));
    const result = await failure(
      createHttpClient({ maxBodyBytes: 1000 }).request({
        url: 'https://provider.example/big',
        purpose: 'api',
      }),
    );
    expect(result.code).toBe('invalid_response');
  });
});

describe('retries', () => {
  it('retries an idempotent GET on 503 and succeeds', async () => {
    let calls = 0;
    server.use(
      http.get('https://provider.example/jwks', () => {
        calls += 1;
        return calls < 3
          ? new HttpResponse(null, { status: 503 })
          : HttpResponse.json({ keys: [] });
      }),
    );
    const response = await client.request({
      url: 'https://provider.example/jwks',
      purpose: 'jwks',
    });
    expect(response.body).toEqual({ keys: [] });
    expect(calls).toBe(3);
  });

  it('honours a short Retry-After on 429 for a GET', async () => {
    let calls = 0;
    server.use(
      http.get('https://provider.example/userinfo', () => {
        calls += 1;
        return calls === 1
          ? new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } })
          : HttpResponse.json({ sub: '1' });
      }),
    );
    const started = Date.now();
    await client.request({ url: 'https://provider.example/userinfo', purpose: 'userinfo' });
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('never retries a code exchange', async () => {
    let calls = 0;
    server.use(
      http.post(url, () => {
        calls += 1;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    await failure(tokenRequest());
    expect(calls).toBe(1);
  });

  it('gives up at once when Retry-After is longer than the deadline allows', async () => {
    let calls = 0;
    server.use(
      http.get('https://provider.example/userinfo', () => {
        calls += 1;
        return new HttpResponse(null, { status: 429, headers: { 'retry-after': '120' } });
      }),
    );
    const started = Date.now();
    // A 30 s deadline: waiting out either it or the 120 s would take far longer than 10 s.
    const result = await failure(
      createHttpClient({ timeoutMs: 30_000 }).request({
        url: 'https://provider.example/userinfo',
        purpose: 'userinfo',
      }),
    );
    expect(result.code).toBe('rate_limit_exceeded');
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('body parsing', () => {
  it('reads JSON and form bodies by Content-Type, and guesses when it is missing or wrong', () => {
    expect(parseBody('{"a":1}', 'application/json')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseBody('a=1&b=two', 'application/x-www-form-urlencoded; charset=utf-8')).toEqual({
      ok: true,
      value: { a: '1', b: 'two' },
    });
    expect(parseBody('{"a":1}', 'text/plain')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseBody('access_token=x&token_type=bearer', 'text/plain')).toEqual({
      ok: true,
      value: { access_token: 'x', token_type: 'bearer' },
    });
    expect(parseBody('<html></html>', 'text/html')).toEqual({ ok: false });
    expect(parseBody('{"a":1}', 'application/x-www-form-urlencoded', 'json')).toEqual({
      ok: true,
      value: { a: 1 },
    });
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThanOrEqual(9);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
