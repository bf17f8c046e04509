import { X509Certificate } from 'node:crypto';
import {
  type AppCertificate,
  type EntraClientCredentialsEmulator,
  generateAppCertificate,
  type OidcEmulator,
  startEntraClientCredentialsEmulator,
  startOidcEmulator,
} from '@idplug/emulators';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { microsoft365SmtpScope } from './client-credentials-token';
import {
  failureOf,
  load,
  message,
  messageOf,
  startExchangeLikeSink,
  stopSinksAfterEach,
  templates,
} from './test-support';

/**
 * Microsoft 365 SMTP AUTH with an app's certificate credential (Entra ID `private_key_jwt`): the
 * token comes from an Entra-like token endpoint that finds the certificate by the thumbprint in the
 * assertion's header and verifies the signature with it, and an SMTP server takes XOAUTH2 only with
 * a live token that endpoint issued to the app.
 */

stopSinksAfterEach();

const mailbox = 'noreply@contoso.test';
const clientId = 'smtp-app';
const tokenLifetimeSeconds = 60;

let app: AppCertificate;
let otherApp: AppCertificate;

/** Credential fields of a config under test, read when the test runs (after the keys exist). */
type CredentialOverrides = Partial<
  Record<'privateKey' | 'certificate' | 'clientSecret', () => string | undefined>
>;
beforeAll(async () => {
  [app, otherApp] = await Promise.all([generateAppCertificate(), generateAppCertificate()]);
});

let entra: EntraClientCredentialsEmulator | undefined;
let oidc: OidcEmulator | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all([entra?.stop(), oidc?.stop()]);
  entra = undefined;
  oidc = undefined;
});

const startEntra = async (certificates = [app.certificate]) => {
  entra = await startEntraClientCredentialsEmulator({
    apps: [{ clientId, certificates }],
    ttlSeconds: tokenLifetimeSeconds,
  });
  return entra;
};

/** An SMTP server that takes XOAUTH2 for the mailbox with a live token `verify` vouches for. */
const startSinkTrusting = (
  verify: (accessToken: string) => Promise<{ clientId: string; scope?: string } | undefined>,
) => startExchangeLikeSink({ mailbox, clientId, verify });

const certificateAuth = (tokenEndpoint: string, overrides: Record<string, unknown> = {}) => ({
  type: 'OAuth2',
  user: mailbox,
  tenantId: 'contoso',
  clientId,
  privateKey: app.privateKey,
  certificate: app.certificate,
  tokenEndpoint,
  ...overrides,
});

const configFor = (sink: { host: string; port: number }, auth: Record<string, unknown>) => ({
  host: sink.host,
  port: sink.port,
  fromEmail: mailbox,
  templates,
  auth,
});

const thumbprint = (pem: string, hash: 'sha1' | 'sha256') =>
  Buffer.from(
    (hash === 'sha1'
      ? new X509Certificate(pem).fingerprint
      : new X509Certificate(pem).fingerprint256
    ).replaceAll(':', ''),
    'hex',
  ).toString('base64url');

/** Secrets that must never appear in an error: the key (any line of its body) and what was sent. */
const expectNoSecretIn = (error: unknown) => {
  const text = JSON.stringify(error);
  const body = app.privateKey.split('\n').filter((line) => !line.startsWith('-----'));
  expect(body.length).toBeGreaterThan(10);
  for (const line of body.filter((part) => part.length > 20)) {
    expect(text).not.toContain(line.slice(0, 16));
  }
  expect(text).not.toMatch(/eyJ[\w-]+\.eyJ/);
};

describe('Microsoft 365 OAuth2 with a certificate (private_key_jwt)', () => {
  it('signs PS256 naming the certificate by x5t#S256, and sends with the token', async () => {
    const provider = await startEntra();
    const sink = await startSinkTrusting(async (token) => provider.verifyAccessToken(token));
    const connector = await load(configFor(sink, certificateAuth(provider.tokenEndpoint)));

    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        connector.sendMessage(message(`p${index}@example.org`)),
      ),
    );

    expect(sink.messages).toHaveLength(20);
    expect(new Set(sink.messages.map((received) => received.authUser))).toEqual(new Set([mailbox]));
    expect(provider.requests).toEqual([
      {
        clientId,
        credential: 'certificate',
        assertionHeader: {
          alg: 'PS256',
          typ: 'JWT',
          'x5t#S256': thumbprint(app.certificate, 'sha256'),
        },
      },
    ]);
  });

  it('signs RS256 naming the certificate by x5t (SHA-1) when asked', async () => {
    const provider = await startEntra();
    const sink = await startSinkTrusting(async (token) => provider.verifyAccessToken(token));
    const connector = await load(
      configFor(sink, certificateAuth(provider.tokenEndpoint, { signingAlgorithm: 'RS256' })),
    );

    await connector.sendMessage(message());

    expect(sink.messages).toHaveLength(1);
    expect(provider.requests[0]?.assertionHeader).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      x5t: thumbprint(app.certificate, 'sha1'),
    });
  });

  it('renews the token with a fresh assertion once per lifetime, never reusing a jti', async () => {
    // Only Date is faked: lifetimes pass in steps, sockets and timers run for real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const provider = await startEntra();
    const sink = await startSinkTrusting(async (token) => provider.verifyAccessToken(token));
    const connector = await load({
      ...configFor(sink, certificateAuth(provider.tokenEndpoint)),
      pool: { maxMessages: 10 },
    });

    for (let lifetime = 0; lifetime < 3; lifetime += 1) {
      for (let batch = 0; batch < 4; batch += 1) {
        await Promise.all(
          Array.from({ length: 25 }, (_, index) =>
            connector.sendMessage(message(`p${lifetime}-${batch}-${index}@example.org`)),
          ),
        );
        vi.setSystemTime(Date.now() + (tokenLifetimeSeconds * 1000) / 4);
      }
    }

    expect(sink.messages).toHaveLength(300);
    // The emulator refuses a replayed jti: every renewal carried a new assertion.
    expect(provider.requests.filter((request) => request.refusedWith)).toEqual([]);
    expect(provider.requests.length).toBeGreaterThanOrEqual(3);
    expect(provider.requests.length).toBeLessThanOrEqual(4);
  }, 120_000);

  it('is accepted by a certified OpenID Provider (oidc-provider) holding the certificate’s public key', async () => {
    const publicJwk = new X509Certificate(app.certificate).publicKey.export({ format: 'jwk' });
    oidc = await startOidcEmulator({
      clients: [
        {
          clientId,
          redirectUris: [],
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks: { keys: [{ ...publicJwk, alg: 'PS256', use: 'sig' }] as never },
          metadata: { grant_types: ['client_credentials'], response_types: [] },
        },
      ],
      clientCredentials: { scopes: [microsoft365SmtpScope], ttlSeconds: tokenLifetimeSeconds },
    });
    const provider = oidc;
    const sink = await startSinkTrusting(
      async (token) => (await provider.verifyClientCredentialsToken(token)) ?? undefined,
    );
    const connector = await load(configFor(sink, certificateAuth(provider.tokenEndpoint)));

    await connector.sendMessage(message());

    expect(sink.messages).toHaveLength(1);
  });

  it('reports a certificate the app registration does not hold as invalid_config, without the key or assertion', async () => {
    const provider = await startEntra([otherApp.certificate]);
    const sink = await startSinkTrusting(async (token) => provider.verifyAccessToken(token));
    const connector = await load(configFor(sink, certificateAuth(provider.tokenEndpoint)));

    const error = await failureOf(connector.sendMessage(message()));

    expect(error.code).toBe('invalid_config');
    expect(messageOf(error)).toMatch(/AADSTS700027/);
    expectNoSecretIn(error);
    expect(sink.messages).toHaveLength(0);
  });

  it.each<[string, CredentialOverrides, RegExp]>([
    [
      'a certificate of another key',
      { certificate: () => otherApp.certificate },
      /auth\.certificate: does not belong to privateKey/,
    ],
    [
      'the key and certificate swapped',
      { privateKey: () => app.certificate, certificate: () => app.privateKey },
      /auth\.privateKey: holds a certificate.*auth\.certificate: holds a private key/,
    ],
    [
      'a key without its certificate',
      { certificate: () => undefined },
      /auth\.certificate: Required with `privateKey`/,
    ],
    [
      'neither a secret nor a certificate',
      { privateKey: () => undefined, certificate: () => undefined },
      /auth\.clientSecret: Required: a client secret \(`clientSecret`\), or a certificate/,
    ],
    [
      'a secret and a certificate',
      { clientSecret: () => 'a-secret-of-the-app-registration' },
      /Set either `clientSecret` or `privateKey` with `certificate`/,
    ],
  ])(
    'refuses %s as invalid_config before any request, naming the field',
    async (_, overrides, expected) => {
      const provider = await startEntra();
      const sink = await startSinkTrusting(async (token) => provider.verifyAccessToken(token));
      const auth = certificateAuth(
        provider.tokenEndpoint,
        Object.fromEntries(Object.entries(overrides).map(([key, value]) => [key, value()])),
      );
      const connector = await load(configFor(sink, auth));

      const error = await failureOf(connector.sendMessage(message()));

      expect(error.code).toBe('invalid_config');
      expect(messageOf(error)).toMatch(expected);
      expectNoSecretIn(error);
      expect(provider.requests).toEqual([]);
    },
  );
});
