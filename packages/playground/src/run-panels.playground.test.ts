import { setEmulatorFault } from '@idplug/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from './playground';
import { createFormClient } from './playground-form-client';

/**
 * The run panels' own actions through the playground's HTTP side (no browser): revealing and
 * masking the config for Logto, and a refresh with nothing to refresh with. The browser test signs
 * in, copies and refreshes; these cover what a browser rarely does.
 */

let playground: Playground;

beforeAll(async () => {
  playground = await startPlayground();
}, 60_000);

afterAll(async () => {
  await playground?.stop();
});

const browser = () => createFormClient(playground.url);

/** The config panel's JSON, as the page shows it (unescaped). */
const logtoConfigOf = (html: string) => {
  const escaped = /data-testid="logto-config"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1];
  expect(escaped).toBeDefined();
  return JSON.parse(
    escaped!.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))),
  ) as Record<string, unknown>;
};

describe('the run panels through HTTP', () => {
  it('shows the validated config masked, unmasked on request, and masked again after the next action', async () => {
    const github = playground.emulators.github;
    const form = {
      'config.clientId': github.app.clientId,
      'config.clientSecret': github.app.clientSecret,
      'config.scope': 'read:user user:email',
      'config.enterpriseUrl': github.baseUrl,
    };
    const user = browser();
    await user.post('/connectors/github', { ...form, action: 'validate' });
    const masked = logtoConfigOf(await user.html('/connectors/github'));
    expect(masked.clientId).toBe(github.app.clientId);
    expect(masked.clientSecret).toMatch(/masked/);

    expect(await user.post('/connectors/github', { action: 'reveal-config' })).toBe(
      '/connectors/github#logto-config',
    );
    expect(logtoConfigOf(await user.html('/connectors/github'))).toEqual({
      clientId: github.app.clientId,
      clientSecret: github.app.clientSecret,
      scope: 'read:user user:email',
      enterpriseUrl: github.baseUrl,
    });

    // Another browser has no run of its own to reveal: this one's config is not shown to it.
    const other = browser();
    await other.post('/connectors/github', { action: 'reveal-config' });
    expect(await other.html('/connectors/github')).not.toContain('data-testid="logto-config"');

    await user.post('/connectors/github', { ...form, action: 'validate' });
    expect(logtoConfigOf(await user.html('/connectors/github')).clientSecret).toMatch(/masked/);
  });

  it('shows the request of a send that failed at a faulty emulator, with its credentials masked', async () => {
    const twilio = playground.emulators.twilio;
    const user = browser();
    setEmulatorFault(twilio.url, 'html-503');
    try {
      await user.post('/connectors/twilio-sms', {
        'config.accountSID': String(twilio.connectorConfig.accountSID),
        'config.authToken': String(twilio.connectorConfig.authToken),
        'config.fromMessagingServiceSID': String(twilio.connectorConfig.fromMessagingServiceSID),
        'config.templates': JSON.stringify([{ usageType: 'Generic', content: 'Code {{code}}' }]),
        'sms.to': '4512345678',
        'sms.usageType': 'Generic',
        'sms.code': '123456',
        action: 'send',
      });
    } finally {
      setEmulatorFault(twilio.url, undefined);
    }
    const html = await user.html('/connectors/twilio-sms');
    expect(html).toContain('data-kind="failed"');
    const timeline = /<section class="panel timeline"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(timeline).toContain('data-method="POST" data-status="503"');
    expect(timeline).toMatch(/authorization<\/th><td><code>Basic \[redacted\]/);
    expect(timeline).not.toContain(String(twilio.connectorConfig.authToken));
  });

  it('refuses a refresh with no sign-in to refresh, as its own refusal rather than a connector failure', async () => {
    const user = browser();
    expect(await user.post('/connectors/google', { action: 'refresh' })).toBe(
      '/connectors/google#result',
    );
    const html = await user.html('/connectors/google');
    expect(html).toContain('data-kind="failed" data-by="playground"');
    expect(html).toContain('The refresh was refused');
    expect(html).toContain('Sign in first.');
  });
});
