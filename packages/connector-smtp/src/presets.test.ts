import { ConnectorConfigFormItemType } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { smtpConfigGuard } from './config';
import { metadata } from './constants';
import { failureOf, load, message, messageOf, templates } from './test-support';

const base = { fromEmail: 'no-reply@example.com', templates, auth: { user: 'u', pass: 'p' } };

describe('preset', () => {
  it.each([
    ['gmail', 'smtp.gmail.com', 465, true],
    ['office365', 'smtp.office365.com', 587, false],
    ['ses-eu-west-1', 'email-smtp.eu-west-1.amazonaws.com', 587, false],
    ['sendgrid', 'smtp.sendgrid.net', 587, false],
    ['postmark', 'smtp.postmarkapp.com', 587, false],
    ['mailgun', 'smtp.mailgun.org', 587, false],
    ['resend', 'smtp.resend.com', 465, true],
  ])('%s fills host %s, port %i and secure %s', (preset, host, port, secure) => {
    expect(smtpConfigGuard.parse({ ...base, preset })).toMatchObject({ host, port, secure });
  });

  it('lets keys the config sets win, and leaves the TLS mode to a port of its own', () => {
    expect(
      smtpConfigGuard.parse({ ...base, preset: 'gmail', host: 'smtp-relay.gmail.com' }),
    ).toMatchObject({ host: 'smtp-relay.gmail.com', port: 465, secure: true });
    const ownPort = smtpConfigGuard.parse({ ...base, preset: 'gmail', port: 587 });
    expect(ownPort).toMatchObject({ host: 'smtp.gmail.com', port: 587 });
    expect(ownPort.secure).toBeUndefined();
  });

  it('takes the TLS mode with the preset’s port, as the console’s Secure switch saves false when left off', () => {
    // What Logto's console saves for a form with only the preset chosen: emptied inputs dropped,
    // an untouched number input as null, the Secure switch as false.
    expect(
      smtpConfigGuard.parse({ ...base, preset: 'gmail', port: null, secure: false }),
    ).toMatchObject({ host: 'smtp.gmail.com', port: 465, secure: true });
    expect(
      smtpConfigGuard.parse({ ...base, preset: 'office365', host: '', secure: true }),
    ).toMatchObject({ host: 'smtp.office365.com', port: 587, secure: false });
    // With a port of its own, the config's `secure` is the config's.
    expect(
      smtpConfigGuard.parse({ ...base, preset: 'gmail', port: 2525, secure: true }),
    ).toMatchObject({ host: 'smtp.gmail.com', port: 2525, secure: true });
  });

  it('reads a blank preset as none, and names SES in China by its .com.cn host', () => {
    expect(
      smtpConfigGuard.parse({ ...base, preset: '', host: 'smtp.example.com', port: 25 }),
    ).toMatchObject({ host: 'smtp.example.com', port: 25 });
    expect(smtpConfigGuard.parse({ ...base, preset: 'ses-cn-northwest-1' })).toMatchObject({
      host: 'email-smtp.cn-northwest-1.amazonaws.com.cn',
      port: 587,
    });
  });

  it('is a select in the console form, first, with every preset it offers accepted by the guard', () => {
    const [first, host, port] = metadata.formItems ?? [];
    expect(first?.key).toBe('preset');
    expect(first?.type).toBe(ConnectorConfigFormItemType.Select);
    expect([host?.key, host?.required, port?.key, port?.required]).toEqual([
      'host',
      false,
      'port',
      false,
    ]);
    const offered = first?.type === ConnectorConfigFormItemType.Select ? first.selectItems : [];
    const values = offered.map((item) => item.value);
    expect(values).toEqual(
      expect.arrayContaining([
        'gmail',
        'office365',
        'sendgrid',
        'postmark',
        'mailgun',
        'resend',
        'ses-us-east-1',
        'ses-eu-west-1',
      ]),
    );
    for (const { value, title } of offered) {
      expect(title).not.toBe('');
      const parsed = smtpConfigGuard.safeParse({ ...base, preset: value, secure: false });
      expect(parsed.success, value).toBe(true);
    }
  });

  it('refuses an unknown preset or region as invalid_config, naming the known ones', async () => {
    for (const preset of ['sparkpost', 'ses-mars', 'ses-']) {
      const error = await failureOf((await load({ ...base, preset })).sendMessage(message()));
      expect(error.code).toBe('invalid_config');
      expect(messageOf(error)).toMatch(/ses-<region>/);
    }
  });
});

describe('config hints before connecting', () => {
  it('refuses a non-ASCII EHLO name as invalid_config', async () => {
    const error = await failureOf(
      (await load({ ...base, host: '127.0.0.1', port: 2525, name: 'bücher.example' })).sendMessage(
        message(),
      ),
    );
    expect(error.code).toBe('invalid_config');
    expect(messageOf(error)).toMatch(/punycode/);
    expect(
      smtpConfigGuard.safeParse({ ...base, host: 'h', port: 25, name: 'xn--bcher-kva.example' })
        .success,
    ).toBe(true);
  });

  it.each([
    [587, true, /Port 587 uses STARTTLS, so "secure" must be false/],
    [465, false, /Port 465 uses implicit TLS, so "secure" must be true/],
  ])('refuses port %i with secure %s before any connection', async (port, secure, hint) => {
    // Nothing listens on 127.0.0.1 there: a connection attempt would fail as ECONNREFUSED instead.
    const error = await failureOf(
      (await load({ ...base, host: '127.0.0.1', port, secure })).sendMessage(message()),
    );
    expect(error.code).toBe('invalid_config');
    expect(messageOf(error)).toMatch(hint);
  });
});
