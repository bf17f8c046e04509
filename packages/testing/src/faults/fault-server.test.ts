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
