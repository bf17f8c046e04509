import { clearJwksCache } from '@idplug/base';
import {
  type GoogleEmulator,
  type GoogleEmulatorAccount,
  type GoogleEmulatorOptions,
  startGoogleEmulator,
} from '@idplug/emulators';
import { startSocialSignIn } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { configureGoogleConnector } from './index';

/**
 * The whole flow against the Google emulator of @idplug/testing (real loopback HTTP, no msw): the
 * wiring the playground uses, `configureGoogleConnector(emulator.connectorOptions)`.
 */

const redirectUri = 'http://127.0.0.1:3001/callback/google-universal';
const accounts: GoogleEmulatorAccount[] = [
  { sub: '100000000000000000001', email: 'ada@gmail.example', email_verified: true, name: 'Ada' },
  {
    sub: '100000000000000000002',
    email: 'grace@corp.example',
    email_verified: true,
    name: 'Grace',
    hd: 'corp.example',
  },
];
let emulator: GoogleEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
  clearJwksCache();
});

const connectorFor = async (
  options: GoogleEmulatorOptions = {},
  config: Record<string, unknown> = {},
) => {
  emulator = await startGoogleEmulator({ autoApprove: true, accounts, ...options });
  const google = emulator;
  const client = google.clients[0]!;
  const connector = (await configureGoogleConnector(google.connectorOptions)({
    getConfig: async () => ({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      ...config,
    }),
  })) as SocialConnector;
  return { google, connector };
};

/** Sends the browser to the emulator (auto-approving) and returns the callback's query. */
const signIn = async (connector: SocialConnector, extra: Record<string, unknown> = {}) => {
  const { url, session } = await startSocialSignIn(connector, {
    state: 'state-value',
    redirectUri,
    ...extra,
  });
  const answer = await fetch(url, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  const callback = new URL(answer.headers.get('location')!);
  return connector.getTokenResponseAndUserInfo!(
    Object.fromEntries(callback.searchParams),
    session.getSession,
  );
};

describe('against the Google emulator', () => {
  it('signs in through the code flow with a verified ID token', async () => {
    const { google, connector } = await connectorFor();
    const account = google.accounts[0]!;
    const { userInfo, tokenResponse } = await signIn(connector);
    expect(userInfo).toMatchObject({ id: account.sub, email: account.email, name: account.name });
    expect(tokenResponse?.refresh_token).toBeUndefined();
  });

  it('passes the login hint through to pick the account', async () => {
    const { google, connector } = await connectorFor();
    const second = google.accounts[1]!;
    const { userInfo } = await signIn(connector, { loginHint: second.email });
    expect(userInfo.id).toBe(second.sub);
  });

  it('enforces the hosted domain on what the emulator signs', async () => {
    const { connector } = await connectorFor({}, { hd: 'corp.example' });
    expect((await signIn(connector, { loginHint: 'grace@corp.example' })).userInfo.id).toBe(
      '100000000000000000002',
    );
    await expect(signIn(connector, { loginHint: 'ada@gmail.example' })).rejects.toMatchObject({
      code: 'authorization_failed',
    });
  });

  it('reads profile claims from userinfo when the ID token lacks them', async () => {
    const { google, connector } = await connectorFor({ profileClaimsInUserinfoOnly: true });
    const { userInfo } = await signIn(connector);
    expect(userInfo.name).toBe(google.accounts[0]!.name);
  });

  it('gets a refresh token with offlineAccess, and keeps it across a refresh', async () => {
    const { connector } = await connectorFor({}, { offlineAccess: true });
    const { tokenResponse } = await signIn(connector);
    const refreshToken = tokenResponse?.refresh_token;
    expect(refreshToken).toMatch(/^1\/\//);
    const refreshed = await connector.getAccessTokenByRefreshToken!(refreshToken!);
    expect(refreshed.access_token).not.toBe(tokenResponse?.access_token);
    expect(refreshed.refresh_token).toBe(refreshToken);
  });
});
