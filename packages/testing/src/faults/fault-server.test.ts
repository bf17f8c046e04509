import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.stop();
});

const fetchWithin = (url: string, ms: number) =>
  fetch(url, { signal: AbortSignal.timeout(ms), redirect: 'manual' });

describe('the fault server', () => {
  it('never answers with no-response', async () => {
    server.reset('no-response');
    await expect(fetchWithin(server.url, 1000)).rejects.toThrow();
    expect(server.requests).toHaveLength(1);
  });

  it('serves an HTML error page with the status', async () => {
    server.reset('html-503');
    const response = await fetchWithin(`${server.url}/token`, 1000);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('<h1>Error 503</h1>');
  });

  it('rate limits with Retry-After', async () => {
    server.reset('rate-limited');
    const response = await fetchWithin(server.url, 1000);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('120');
  });

  it('serves bodies that are not what they claim', async () => {
    server.reset('json-array');
    expect(await (await fetchWithin(server.url, 1000)).json()).toEqual([]);
    server.reset('wrong-content-type');
    const response = await fetchWithin(server.url, 1000);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toContain('<html>');
  });

  it('redirects to itself forever', async () => {
    server.reset('redirect-loop');
    const response = await fetchWithin(`${server.url}/a`, 1000);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/a');
  });

  it('resets the connection mid-body', async () => {
    server.reset('reset-mid-body');
    const response = await fetchWithin(server.url, 2000);
    await expect(response.text()).rejects.toThrow();
  });
});

describe('the fault server as a hostile provider', () => {
  it('redirects to another origin, which records what reaches it', async () => {
    server.reset('redirect-307-cross-origin');
    const response = await fetchWithin(`${server.url}/token`, 1000);
    expect(response.status).toBe(307);
    const location = response.headers.get('location') ?? '';
    expect(location).toBe(`${server.redirectTarget.url}/token`);
    await fetch(location, { method: 'POST', body: 'client_secret=s3cret-value' });
    expect(server.redirectTarget.requests).toEqual([
      { method: 'POST', path: '/token', credentials: ['s3cret-value'] },
    ]);
    server.reset('redirect-308-cross-origin');
    expect(server.redirectTarget.requests).toEqual([]);
    expect((await fetchWithin(server.url, 1000)).status).toBe(308);
  });

  it('echoes the credentials of a request, the first one across the 200-character cut', async () => {
    server.reset('echo-request');
    const basic = `Basic ${Buffer.from('id:the-client-secret').toString('base64')}`;
    const response = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { authorization: basic },
      body: new URLSearchParams({ code_verifier: 'verifier-0123456789' }),
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text.indexOf(basic)).toBe(190);
    expect(text).toContain('verifier-0123456789');
    expect(server.requests[0]?.credentials).toEqual([
      basic,
      basic.slice(6),
      'the-client-secret',
      'verifier-0123456789',
    ]);
  });

  it('answers an OAuth error echoing the request, and a token of type mac', async () => {
    server.reset('echo-oauth-error');
    const error = (await (
      await fetch(server.url, { method: 'POST', body: 'refresh_token=rt-0123456789' })
    ).json()) as { error: string; error_description: string };
    expect(error.error).toBe('invalid_request');
    expect(error.error_description).toContain('rt-0123456789');
    server.reset('token-type-mac');
    expect(await (await fetchWithin(server.url, 1000)).json()).toMatchObject({ token_type: 'mac' });
  });
});
