import { describe, expect, it } from 'vitest';
import { smtpConfigGuard } from './config';
import { metadata } from './constants';
import { poolOptionsOf, transportKeyOf } from './transport-pool';

const officialTemplates = ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
  usageType,
  contentType: 'text/plain',
  subject: 'Code',
  content: 'Your code is {{code}}',
}));

/** Configs as `@logto/connector-smtp` 1.5.4's guard accepts them. */
const officialConfigs = {
  login: {
    host: 'smtp.example.com',
    port: 587,
    auth: { type: 'login', user: 'mailer', pass: 'password' },
    fromEmail: 'no-reply@example.com',
    templates: officialTemplates,
  },
  ipRelay: {
    host: '10.0.0.25',
    port: 25,
    auth: {},
    fromEmail: 'no-reply@example.com',
    templates: officialTemplates,
    ignoreTLS: true,
  },
  oauth2Token: {
    host: 'smtp.gmail.com',
    port: 465,
    secure: true,
    auth: {
      type: 'OAuth2',
      user: 'me@example.com',
      clientId: 'client',
      clientSecret: 'secret',
      refreshToken: 'refresh',
      accessToken: 'access',
      expires: 1_700_000_000_000,
      accessUrl: 'https://oauth2.googleapis.com/token',
    },
    fromEmail: 'me@example.com',
    templates: officialTemplates,
  },
  oauth2Key: {
    host: 'smtp.gmail.com',
    port: 465,
    auth: {
      type: 'oauth2',
      user: 'me@example.com',
      serviceClient: '1234567890',
      privateKey: { key: '-----BEGIN PRIVATE KEY-----...', passphrase: 'pp' },
    },
    fromEmail: 'me@example.com',
    templates: officialTemplates,
  },
  everything: {
    host: 'smtp.example.com',
    port: 587,
    auth: { user: 'mailer', pass: 'password' },
    fromEmail: '"Example" <no-reply@example.com>',
    replyTo: 'support@example.com',
    templates: officialTemplates,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: false,
    name: 'logto.example.com',
    localAddress: '0.0.0.0',
    connectionTimeout: 120_000,
    greetingTimeout: 30_000,
    socketTimeout: 600_000,
    dnsTimeout: 30_000,
    secure: false,
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    servername: 'smtp.example.com',
    ignoreTLS: false,
    requireTLS: true,
    customHeaders: { 'X-Tenant': 'acme', 'X-Tags': ['a', 'b'] },
  },
};

describe('smtpConfigGuard', () => {
  it.each(Object.entries(officialConfigs))(
    'accepts the official connector’s %s config',
    (_, raw) => {
      expect(smtpConfigGuard.safeParse(raw).success).toBe(true);
    },
  );

  it('accepts the official connector’s form defaults', () => {
    const defaults = Object.fromEntries(
      (metadata.formItems ?? [])
        .filter((item) => item.defaultValue !== undefined)
        .map((item) => [item.key, item.defaultValue]),
    );
    const parsed = smtpConfigGuard.safeParse({
      ...defaults,
      host: 'smtp.example.com',
      port: 587,
      fromEmail: 'no-reply@example.com',
    });
    expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
  });

  it('applies timeouts that fit a person waiting, unless the config sets its own', () => {
    const defaults = smtpConfigGuard.parse(officialConfigs.login);
    expect(defaults).toMatchObject({
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      dnsTimeout: 10_000,
    });
    expect(smtpConfigGuard.parse(officialConfigs.everything)).toMatchObject({
      connectionTimeout: 120_000,
      socketTimeout: 600_000,
    });
    // nodemailer reads 0 as "the default": ours.
    expect(
      smtpConfigGuard.parse({ ...officialConfigs.login, connectionTimeout: 0 }).connectionTimeout,
    ).toBe(10_000);
  });

  it('leaves "secure" unset so port 465 keeps meaning implicit TLS', () => {
    const parsed = smtpConfigGuard.parse({ ...officialConfigs.login, port: 465 });
    expect(parsed.secure).toBeUndefined();
    expect(poolOptionsOf(parsed)).not.toHaveProperty('secure');
  });

  it('caps the pool at 5 connections by default', () => {
    const options = poolOptionsOf(smtpConfigGuard.parse(officialConfigs.login));
    expect(options).toMatchObject({ pool: true, maxConnections: 5, maxMessages: 100 });
  });

  it.each([0, -1, 65_536, 587.5])('refuses port %s, which no socket can use', (port) => {
    expect(smtpConfigGuard.safeParse({ ...officialConfigs.login, port }).success).toBe(false);
  });

  it.each([false, true, 'yes'])(
    'accepts a stored pool.noDelay of %j (a retired option) and ignores it',
    (noDelay) => {
      const withRetired = smtpConfigGuard.parse({
        ...officialConfigs.login,
        pool: { maxConnections: 2, noDelay },
      });
      const without = smtpConfigGuard.parse({
        ...officialConfigs.login,
        pool: { maxConnections: 2 },
      });
      expect(withRetired.pool).toEqual({
        maxConnections: 2,
        maxMessages: 100,
        idleTimeout: 15_000,
      });
      expect(poolOptionsOf(withRetired)).toEqual(poolOptionsOf(without));
      expect(transportKeyOf(withRetired)).toBe(transportKeyOf(without));
    },
  );

  it('still refuses a pool key it never knew', () => {
    const result = smtpConfigGuard.safeParse({
      ...officialConfigs.login,
      pool: { maxConnections: 2, keepAlive: true },
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('keepAlive');
  });

  it('rejects a pool of more than 50 connections and an incomplete DKIM key', () => {
    expect(
      smtpConfigGuard.safeParse({ ...officialConfigs.login, pool: { maxConnections: 500 } })
        .success,
    ).toBe(false);
    expect(
      smtpConfigGuard.safeParse({ ...officialConfigs.login, dkim: { domainName: 'example.com' } })
        .success,
    ).toBe(false);
  });
});

describe('transportKeyOf', () => {
  const parse = (raw: unknown) => smtpConfigGuard.parse(raw);

  it('is the same for the same transport settings, whatever the key order or message settings', () => {
    const a = parse(officialConfigs.everything);
    const reordered = parse(
      Object.fromEntries(Object.entries(officialConfigs.everything).reverse()),
    );
    const otherTemplates = parse({
      ...officialConfigs.everything,
      templates: [],
      fromEmail: 'other@example.com',
      replyTo: undefined,
      customHeaders: {},
    });
    expect(transportKeyOf(reordered)).toBe(transportKeyOf(a));
    expect(transportKeyOf(otherTemplates)).toBe(transportKeyOf(a));
  });

  it('changes with the password, the timeouts or the TLS settings, and never contains them', () => {
    const base = parse(officialConfigs.login);
    const key = transportKeyOf(base);
    expect(
      transportKeyOf(parse({ ...officialConfigs.login, auth: { user: 'mailer', pass: 'new' } })),
    ).not.toBe(key);
    expect(transportKeyOf(parse({ ...officialConfigs.login, socketTimeout: 5000 }))).not.toBe(key);
    expect(
      transportKeyOf(parse({ ...officialConfigs.login, tls: { minVersion: 'TLSv1.3' } })),
    ).not.toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});
