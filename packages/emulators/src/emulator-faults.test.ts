import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  emulatorFaultAt,
  hasFaultSwitch,
  rateLimitRetryAfterSeconds,
  setEmulatorFault,
  slowFaultDelayMs,
} from './emulator-faults';
import { listenOnLoopback, sendJson, stopServer } from './emulator-http';

/** One request with node:http (no pooled sockets, no timers of a fetch client). */
const send = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const outgoing = httpRequest(url, { method: 'POST', headers, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end('grant_type=authorization_code');
    },
  );

describe('the emulators’ fault switch', () => {
  let server: Server;
  let url: string;
  let handled: number;

  beforeEach(async () => {
    handled = 0;
    server = createServer((_request, response) => {
      handled += 1;
      sendJson(response, 200, { ok: true });
    });
    const { port } = await listenOnLoopback(server, 0);
    url = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    vi.useRealTimers();
    await stopServer(server);
  });

  it('answers as the emulator does while no fault is on', async () => {
    expect(hasFaultSwitch(url)).toBe(true);
    expect(emulatorFaultAt(url)).toBeUndefined();
    await expect(send(`${url}/token`)).resolves.toMatchObject({ status: 200, body: '{"ok":true}' });
  });

  it('answers a connector’s call with a 503 HTML page, and lets a browser’s page load through', async () => {
    setEmulatorFault(`${url}/any/path`, 'html-503');
    expect(emulatorFaultAt(url)).toBe('html-503');
    const faulty = await send(`${url}/token`);
    expect(faulty.status).toBe(503);
    expect(faulty.headers['content-type']).toMatch(/^text\/html/);
    expect(faulty.body).toContain('503 Service Unavailable');
    // Chromium's navigation to the emulator's authorization page.
    const page = await send(`${url}/authorize`, { 'sec-fetch-dest': 'document' });
    expect(page.status).toBe(200);
    // A page's own fetch() is a back-channel call like any other.
    expect((await send(`${url}/token`, { 'sec-fetch-dest': 'empty' })).status).toBe(503);
    expect(handled).toBe(1);
  });

  it('rate limits with Retry-After', async () => {
    setEmulatorFault(url, 'rate-limited');
    const answer = await send(`${url}/token`);
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe(String(rateLimitRetryAfterSeconds));
  });

  it('answers 200 with JSON cut short', async () => {
    setEmulatorFault(url, 'invalid-json');
    const answer = await send(`${url}/userinfo`);
    expect(answer.status).toBe(200);
    expect(() => JSON.parse(answer.body)).toThrow();
  });

  it('resets the connection', async () => {
    setEmulatorFault(url, 'connection-reset');
    await expect(send(`${url}/token`)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(handled).toBe(0);
  });

  it('holds each answer for the slow delay, then answers as the emulator does', async () => {
    setEmulatorFault(url, 'slow');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const answer = send(`${url}/token`);
    // The request reached the switch, and the emulator has not answered it.
    await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1), { interval: 5 });
    expect(handled).toBe(0);
    vi.advanceTimersByTime(slowFaultDelayMs);
    await expect(answer).resolves.toMatchObject({ status: 200 });
    expect(handled).toBe(1);
  });

  it('switches a fault off, and forgets the switch of a stopped server', async () => {
    setEmulatorFault(url, 'html-503');
    setEmulatorFault(url, undefined);
    expect((await send(`${url}/token`)).status).toBe(200);
    setEmulatorFault(url, 'html-503');
    await stopServer(server);
    expect(hasFaultSwitch(url)).toBe(false);
    expect(emulatorFaultAt(url)).toBeUndefined();
    expect(() => setEmulatorFault(url, 'slow')).toThrow(/No emulator with a fault switch/);
  });
});
