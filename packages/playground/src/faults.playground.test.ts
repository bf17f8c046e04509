import { emulatorFaults, setEmulatorFault } from '@idplug/emulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from './playground';
import { createFormClient } from './playground-form-client';

/**
 * Every fault of the Faults panel through the playground's HTTP side (no browser): switched on for
 * Twilio's emulator, a test SMS ends in the connector's own error on the page, never an HTTP 500.
 */

let playground: Playground;

beforeAll(async () => {
  playground = await startPlayground();
}, 60_000);

afterAll(async () => {
  await playground?.stop();
});

afterEach(() => {
  setEmulatorFault(playground.emulators.twilio.url, undefined);
});

/** What the connector reports for each fault (base's error table), with a short config timeout. */
const expected = {
  slow: { code: 'general', message: /did not answer within 1000 ms/ },
  'html-503': { code: 'general', message: /answered HTTP 503/ },
  'rate-limited': { code: 'rate_limit_exceeded', message: /retry after 30 s/ },
  'connection-reset': { code: 'general', message: /Could not reach 127\.0\.0\.1/ },
  'invalid-json': { code: 'invalid_response', message: /not valid JSON/ },
} as const;

describe('the Faults panel, for each fault', () => {
  it.each(emulatorFaults)('shows Twilio’s error for %s, with no 500', async (fault) => {
    const { post: request, html } = createFormClient(playground.url);
    await request('/connectors/twilio-sms/faults', { fault });
    const twilio = playground.emulators.twilio.connectorConfig;
    await request('/connectors/twilio-sms', {
      'config.accountSID': String(twilio.accountSID),
      'config.authToken': String(twilio.authToken),
      'config.fromMessagingServiceSID': String(twilio.fromMessagingServiceSID),
      'config.templates': JSON.stringify([{ usageType: 'Generic', content: 'Code {{code}}' }]),
      // Shorter than the slow fault's delay: the connector gives up and says so.
      'config.timeout': '1000',
      'sms.to': '4512345678',
      'sms.usageType': 'Generic',
      'sms.code': '123456',
      action: 'send',
    });
    const page = await html('/connectors/twilio-sms');
    expect(page).toContain('data-kind="failed"');
    expect(/data-testid="error-code">([^<]+)</.exec(page)?.[1]).toBe(expected[fault].code);
    expect(/data-testid="error-message">([^<]+)</.exec(page)?.[1]).toMatch(expected[fault].message);
    expect(page).toContain(`data-testid="fault-state" data-fault="${fault}"`);
  });
});
