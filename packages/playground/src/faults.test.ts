import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emulatorFaultAt, type HttpReceiver, startHttpReceiver } from '@idplug/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveredConnector } from './discovery';
import type { ConnectorPreset } from './emulators';
import { answerFaultSwitch, renderFaultBadge, renderFaultsPanel } from './faults';
import type { PlaygroundSite } from './site';

/** The faults control against a real emulator's switch, through a real HTTP server. */

const connector = { slug: 'http-sms' } as DiscoveredConnector;
let emulator: HttpReceiver;
let preset: ConnectorPreset;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  emulator = await startHttpReceiver();
  preset = {
    emulatorName: 'HTTP SMS receiver',
    config: emulator.connectorConfig,
    usesEmulator: () => true,
    emulatorUrl: emulator.url,
  };
  const site = { presetOf: () => preset } as unknown as PlaygroundSite;
  server = createServer((request, response) => {
    void answerFaultSwitch(site, request, response, connector);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await emulator.stop();
});

const post = (fault: string) =>
  fetch(`${baseUrl}/connectors/http-sms/faults`, {
    method: 'POST',
    body: new URLSearchParams({ fault }),
    redirect: 'manual',
  });

describe('the faults control', () => {
  it('offers every fault, none selected while the emulator answers normally', () => {
    const html = renderFaultsPanel(connector, preset);
    expect(html).toContain('data-fault="none"');
    for (const fault of ['slow', 'html-503', 'rate-limited', 'connection-reset', 'invalid-json']) {
      expect(html).toContain(`<option value="${fault}">`);
    }
    expect(html).toContain('action="/connectors/http-sms/faults"');
  });

  it('switches a fault on at the emulator, shows it, and switches it off', async () => {
    const on = await post('rate-limited');
    expect(on.status).toBe(303);
    expect(on.headers.get('location')).toBe('/connectors/http-sms#faults');
    expect(emulatorFaultAt(emulator.url)).toBe('rate-limited');
    // The connector's next call gets the fault.
    expect((await fetch(emulator.url, { method: 'POST', body: '{}' })).status).toBe(429);
    const html = renderFaultsPanel(connector, preset);
    expect(html).toContain('data-fault="rate-limited"');
    expect(html).toContain('<option value="rate-limited" selected>');
    expect(renderFaultBadge(preset)).toContain('fault: 429');

    expect((await post('none')).status).toBe(303);
    expect(emulatorFaultAt(emulator.url)).toBeUndefined();
    expect(renderFaultBadge(preset)).toBe('');
  });

  it('refuses a fault it does not know, with a 400 page and no change', async () => {
    const answer = await post('<script>');
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('There is no fault &#34;&#60;script&#62;&#34;');
    expect(emulatorFaultAt(emulator.url)).toBeUndefined();
  });

  it('says so for an emulator without a switch, and shows nothing without an emulator', () => {
    const smtp = { ...preset, emulatorName: 'SMTP sink', emulatorUrl: undefined };
    expect(renderFaultsPanel(connector, smtp)).toContain('SMTP sink has no fault switch');
    expect(renderFaultsPanel(connector, undefined)).toBe('');
  });
});
