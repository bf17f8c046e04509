import { describe, expect, it } from 'vitest';
import { smtpConfigGuard } from './config';
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
