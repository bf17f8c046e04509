import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OfficialForwarding, startOfficialForwarding } from './official-forwarding';

/**
 * Two local servers stand in for a provider and its emulator. The "provider" listens on
 * 127.0.0.2 (loopback on Linux, but not the 127.0.0.1 address every emulator uses, which is
 * always let through), so a request that is not forwarded visibly reaches it, without the internet.
 */

type Recorder = { server: Server; url: string; received: string[] };

const startRecorder = async (host: string, name: string): Promise<Recorder> => {
  const received: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push(`${request.method} ${request.url} ${body}`.trim());
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`${name} answered ${request.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${host}:${port}/`, received };
};

/**
 * A request through node:http, as `got` (the official packages' client) makes it: through the
 * module's `request` property, which msw (and compare mode) wrap.
 */
const nodeHttpPost = (url: string, body: string) =>
  new Promise<string>((resolve, reject) => {
    const outgoing = http.request(url, { method: 'POST' }, (answer) => {
      let text = '';
      answer.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      answer.on('end', () => resolve(text));
      answer.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });

let provider: Recorder;
let emulator: Recorder;
let unmapped: Recorder;
let forwarding: OfficialForwarding;

beforeAll(async () => {
  provider = await startRecorder('127.0.0.2', 'provider');
  emulator = await startRecorder('127.0.0.1', 'emulator');
  unmapped = await startRecorder('127.0.0.2', 'unmapped');
  forwarding = startOfficialForwarding();
});

afterAll(async () => {
  forwarding.stop();
  await Promise.all(
    [provider, emulator, unmapped].map(
      ({ server }) => new Promise((resolve) => server.close(resolve)),
    ),
  );
});

describe('official connector forwarding (compare mode)', () => {
  it("forwards the official connector's fetch and node:http requests to the emulator", async () => {
    const routes = { [provider.url]: emulator.url };
    const run = await forwarding.run(routes, async () => [
      await (await fetch(`${provider.url}v3/mail/send`, { method: 'POST', body: 'a' })).text(),
      await nodeHttpPost(`${provider.url}v3/mail/send`, 'b'),
    ]);
    expect(run.outcome).toEqual({
      ok: true,
      value: ['emulator answered /v3/mail/send', 'emulator answered /v3/mail/send'],
    });
    expect(emulator.received).toEqual(['POST /v3/mail/send a', 'POST /v3/mail/send b']);
    expect(provider.received).toEqual([]);
    expect(run.refused).toEqual([]);
  });

  it('leaves requests made outside the scope untouched, even at the same time as an official run', async () => {
    provider.received.length = 0;
    emulator.received.length = 0;
    const routes = { [provider.url]: emulator.url };
    const [ours, official] = await Promise.all([
      nodeHttpPost(`${provider.url}ours`, 'ours'),
      forwarding.run(routes, () => nodeHttpPost(`${provider.url}theirs`, 'theirs')),
      fetch(`${provider.url}ours-fetch`).then((answer) => answer.text()),
    ]);
    expect(ours).toBe('provider answered /ours');
    expect(official.outcome).toEqual({ ok: true, value: 'emulator answered /theirs' });
    expect(provider.received.sort()).toEqual(['GET /ours-fetch', 'POST /ours ours']);
    expect(emulator.received).toEqual(['POST /theirs theirs']);
  });

  it('refuses an official request to an address without an emulator mapping: nothing is sent', async () => {
    const routes = { [provider.url]: emulator.url };
    const run = await forwarding.run(routes, () =>
      fetch(`${unmapped.url}elsewhere?secret=1`, { method: 'POST', body: 'x' }),
    );
    expect(run.outcome.ok).toBe(false);
    expect(run.refused).toEqual([`${unmapped.url}elsewhere`]);
    expect(unmapped.received).toEqual([]);
  });

  it('lets the official connector reach 127.0.0.1 (an emulator set in its config) directly', async () => {
    emulator.received.length = 0;
    const run = await forwarding.run({}, () => nodeHttpPost(`${emulator.url}sms`, 'direct'));
    expect(run.outcome).toEqual({ ok: true, value: 'emulator answered /sms' });
    expect(run.refused).toEqual([]);
  });
});
