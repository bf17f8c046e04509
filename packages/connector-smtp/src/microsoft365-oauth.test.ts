import { type OidcEmulator, startOidcEmulator } from '@idplug/emulators';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

stopSinksAfterEach();

const mailbox = 'noreply@contoso.test';
const app = { clientId: 'smtp-app', clientSecret: 'smtp-app-secret-of-at-least-32-characters' };
const tokenLifetimeSeconds = 60;

let emulator: OidcEmulator | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await emulator?.stop();
  emulator = undefined;
});

const startIdentityProvider = async () => {
  emulator = await startOidcEmulator({
    clients: [
      {
        ...app,
        redirectUris: [],
        tokenEndpointAuthMethod: 'client_secret_post',
        metadata: { grant_types: ['client_credentials'], response_types: [] },
      },
    ],
    clientCredentials: { scopes: [microsoft365SmtpScope], ttlSeconds: tokenLifetimeSeconds },
  });
  return emulator;
};

/** An SMTP server that takes XOAUTH2 for the mailbox with a live token the provider issued to the app. */
const startSinkTrusting = (provider: OidcEmulator, options: { refuseFirst?: number } = {}) =>
  startExchangeLikeSink({
    mailbox,
    clientId: app.clientId,
    verify: async (token) => (await provider.verifyClientCredentialsToken(token)) ?? undefined,
    ...options,
  });

const configFor = (
  sink: { host: string; port: number },
  provider: OidcEmulator,
  overrides = {},
) => ({
  host: sink.host,
  port: sink.port,
  fromEmail: mailbox,
  templates,
  auth: {
    type: 'OAuth2',
    user: mailbox,
    tenantId: 'contoso',
    ...app,
    tokenEndpoint: provider.tokenEndpoint,
  },
  ...overrides,
});

const tokenRequestCount = (provider: OidcEmulator) =>
  provider.requests.filter(
    (request) =>
      request.method === 'POST' && request.path === new URL(provider.tokenEndpoint).pathname,
  ).length;

describe('Microsoft 365 OAuth2 (client credentials)', () => {
  it('sends 2,000 messages across five token lifetimes with one token request per lifetime', async () => {
    // Only Date is faked: token lifetimes (ours and the provider's) pass in steps, sockets and
    // timers run for real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const provider = await startIdentityProvider();
    const sink = await startSinkTrusting(provider);
    // 50 messages per connection: connections are replaced, and log in again, all along.
    const connector = await load(configFor(sink, provider, { pool: { maxMessages: 50 } }));

    for (let lifetime = 0; lifetime < 5; lifetime += 1) {
      for (let batch = 0; batch < 4; batch += 1) {
        const sends = Array.from({ length: 100 }, (_, index) =>
          connector.sendMessage(message(`p${lifetime}-${batch}-${index}@example.org`)),
        );
        await expect(Promise.all(sends)).resolves.toHaveLength(100);
        // A quarter of the lifetime passes between batches.
        vi.setSystemTime(Date.now() + (tokenLifetimeSeconds * 1000) / 4);
      }
      expect(tokenRequestCount(provider)).toBeLessThanOrEqual(lifetime + 1);
    }

    expect(sink.messages).toHaveLength(2000);
    expect(new Set(sink.messages.map((received) => received.authUser))).toEqual(new Set([mailbox]));
    // Tokens were renewed as they expired, not fetched once and used past their lifetime.
    expect(tokenRequestCount(provider)).toBeGreaterThanOrEqual(4);
    expect(tokenRequestCount(provider)).toBeLessThanOrEqual(5);
  }, 180_000);

  it('retries AUTH once with a fresh token when the server refuses the cached one (535)', async () => {
    const provider = await startIdentityProvider();
    const sink = await startSinkTrusting(provider, { refuseFirst: 1 });
    const connector = await load(configFor(sink, provider));

    await connector.sendMessage(message());

    expect(sink.messages).toHaveLength(1);
    expect(tokenRequestCount(provider)).toBe(2);
  });

  it('reports a token the server keeps refusing as invalid_config, without the secret or token', async () => {
    const provider = await startIdentityProvider();
    const sink = await startSinkTrusting(provider, { refuseFirst: 2 });
    const connector = await load(configFor(sink, provider));

    const error = await failureOf(connector.sendMessage(message()));

    expect(error.code).toBe('invalid_config');
    expect(messageOf(error)).toContain(mailbox);
    expect(JSON.stringify(error)).not.toContain(app.clientSecret);
    expect(tokenRequestCount(provider)).toBe(2);
  });

  it('reports a refused client secret as invalid_config, without the secret', async () => {
    const provider = await startIdentityProvider();
    const sink = await startSinkTrusting(provider);
    const wrongSecret = 'not-the-secret-of-at-least-32-characters!';
    const connector = await load(
      configFor(sink, provider, {
        auth: { ...configFor(sink, provider).auth, clientSecret: wrongSecret },
      }),
    );

    const error = await failureOf(connector.sendMessage(message()));

    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error)).not.toContain(wrongSecret);
    expect(sink.messages).toHaveLength(0);
  });
});
