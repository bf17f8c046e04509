import { clearJwksCache } from '@idplug/base';
import { type AppleEmulator, startAppleEmulator } from '@idplug/emulators';
import { ConnectorErrorCodes, type SocialConnector } from '@logto/connector-kit';
import { decodeJwt, decodeProtectedHeader, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectConnectorError, startSignIn } from './apple-test-kit';
import {
  clearClientSecretCache,
  clientSecretLifetimeSeconds,
  clientSecretRenewalMarginSeconds,
} from './client-secret';
import { configureAppleConnector } from './index';

// With `teamId`, `keyId` and `privateKey`: the code flow against the jose emulator on loopback.
// The emulator accepts loopback redirect URIs, as the playground uses.
const loopback = { redirectUri: 'http://127.0.0.1:3001/callback/apple-universal' };
let apple: AppleEmulator;

beforeAll(async () => {
  apple = await startAppleEmulator();
});
afterAll(async () => {
  await apple.stop();
});
beforeEach(() => {
  clearJwksCache();
  clearClientSecretCache();
});
afterEach(() => {
  vi.useRealTimers();
});

const connectorWith = async (config: Record<string, unknown> = apple.connectorConfig) =>
  (await configureAppleConnector({ endpoints: apple.endpoints })({
    getConfig: async () => config,
  })) as SocialConnector;

/** Logto's sign-in: the authorization URL, the form Apple posts, then the code exchange. */
const signIn = async (connector: SocialConnector) => {
  const { url, session } = await startSignIn(connector, loopback);
  const { fields } = await apple.authorize(url);
  return connector.getTokenResponseAndUserInfo!(fields, session.getSession);
};

describe('Apple code flow', () => {
  it('signs in: code exchange, verified ID token, first-sign-in name, private relay email', async () => {
    const connector = await connectorWith();
    const { tokenResponse, userInfo } = await signIn(connector);
    const account = apple.accounts[0]!;
    expect(userInfo).toMatchObject({
      id: account.sub,
      email: account.email,
      name: 'Zoë Åkesson',
    });
    expect(tokenResponse).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(tokenResponse?.refresh_token).toBeTruthy();
    expect(tokenResponse?.id_token).toBeTruthy();

    // The next sign-in carries no `user`: same id, no name.
    const again = await signIn(connector);
    expect(again.userInfo.id).toBe(account.sub);
    expect(again.userInfo.name).toBeUndefined();
  });

  it('refreshes with the stored refresh token, keeping it (Apple issues no new one)', async () => {
    const connector = await connectorWith();
    const { tokenResponse } = await signIn(connector);
    const refreshed = await connector.getAccessTokenByRefreshToken!(tokenResponse!.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    expect(refreshed.access_token).not.toBe(tokenResponse?.access_token);
    expect(refreshed.refresh_token).toBe(tokenResponse?.refresh_token);
  });

  it('sends a client secret Apple accepts: ES256, kid, iss team, sub Services ID, aud Apple, under six months', async () => {
    const connector = await connectorWith();
    await signIn(connector);
    const secret = apple.clientSecrets.at(-1)!;
    expect(decodeProtectedHeader(secret)).toEqual({
      alg: 'ES256',
      kid: apple.connectorConfig.keyId,
    });
    const claims = decodeJwt(secret);
    expect(claims).toMatchObject({
      iss: apple.connectorConfig.teamId,
      sub: apple.connectorConfig.clientId,
      aud: apple.issuer,
    });
    expect(claims.exp! - claims.iat!).toBe(clientSecretLifetimeSeconds);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(15_777_000);
  });

  it('signs the client secret once per lifetime, not per sign-in, and renews it before it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const before = apple.clientSecrets.length;
    const connector = await connectorWith();
    const first = await signIn(connector);
    await signIn(await connectorWith());
    await connector.getAccessTokenByRefreshToken!(first.tokenResponse!.refresh_token!);
    await Promise.all([signIn(connector), signIn(connector)]);
    const sent = apple.clientSecrets.slice(before);
    expect(sent).toHaveLength(5);
    expect(new Set(sent).size).toBe(1);

    // Still more than the margin left: the same secret.
    vi.setSystemTime(
      Date.now() + (clientSecretLifetimeSeconds - clientSecretRenewalMarginSeconds - 60) * 1000,
    );
    await signIn(connector);
    expect(new Set(apple.clientSecrets.slice(before)).size).toBe(1);

    // Inside the renewal margin: a new one, then that one again.
    vi.setSystemTime(Date.now() + 120 * 1000);
    await signIn(connector);
    await signIn(connector);
    const renewed = apple.clientSecrets.slice(before);
    expect(new Set(renewed).size).toBe(2);
    expect(renewed.at(-1)).toBe(renewed.at(-2));
    const fresh = decodeJwt(renewed.at(-1)!);
    expect(fresh.exp! * 1000).toBeGreaterThan(Date.now() + clientSecretRenewalMarginSeconds * 1000);
  });

  it('gives invalid_config with the Services ID hint when Apple answers invalid_client', async () => {
    // The App ID where the Services ID belongs: Apple knows no such client.
    const appId = await connectorWith({ ...apple.connectorConfig, clientId: 'com.example.app' });
    const error = await expectConnectorError(
      appId.getAccessTokenByRefreshToken!('refresh-token-value'),
      ConnectorErrorCodes.InvalidConfig,
    );
    expect(error.message).toContain('Services ID');
    expect(error.data).toMatchObject({ providerCode: 'invalid_client', status: 400 });

    // A key of another team under this Key ID: the code exchange itself is refused.
    const other = await generateKeyPair('ES256', { extractable: true });
    const otherKey = await connectorWith({
      ...apple.connectorConfig,
      privateKey: await exportPKCS8(other.privateKey),
    });
    const { url, session } = await startSignIn(otherKey, loopback);
    const { fields } = await apple.authorize(url);
    const refused = await expectConnectorError(
      otherKey.getUserInfo(fields, session.getSession),
      ConnectorErrorCodes.InvalidConfig,
    );
    expect(JSON.stringify(refused.data)).not.toContain('BEGIN PRIVATE KEY');
  });

  it('refuses a private key that is not a P-256 PKCS #8 key as invalid_config, without echoing it', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    for (const privateKey of ['not a key', await exportPKCS8(rsa.privateKey)]) {
      const connector = await connectorWith({ ...apple.connectorConfig, privateKey });
      const error = await expectConnectorError(
        startSignIn(connector, loopback),
        ConnectorErrorCodes.InvalidConfig,
      );
      expect(`${error.message} ${JSON.stringify(error.data)}`).not.toContain(
        privateKey.slice(0, 40),
      );
    }
  });

  it('reads the key with CRLF line ends, `\\n` escapes, or without its BEGIN/END lines', async () => {
    const pem = apple.connectorConfig.privateKey!;
    const body = pem
      .split('\n')
      .filter((line) => !line.startsWith('-----'))
      .join('');
    for (const privateKey of [pem.replace(/\n/g, '\r\n'), pem.replace(/\n/g, '\\n'), body]) {
      clearClientSecretCache();
      const { userInfo } = await signIn(
        await connectorWith({ ...apple.connectorConfig, privateKey }),
      );
      expect(userInfo.id).toBe(apple.accounts[0]!.sub);
    }
  });

  it('refuses a signing key given in part as invalid_config naming what is missing', async () => {
    const { privateKey: _dropped, ...partial } = apple.connectorConfig;
    const error = await expectConnectorError(
      startSignIn(await connectorWith(partial), loopback),
      ConnectorErrorCodes.InvalidConfig,
    );
    expect(error.message).toContain('privateKey');
  });

  it('reports a cancelled Apple dialog as authorization_failed', async () => {
    const connector = await connectorWith();
    const { url, session } = await startSignIn(connector, loopback);
    const { fields } = await apple.authorize(url, { cancel: true });
    await expectConnectorError(
      connector.getUserInfo(fields, session.getSession),
      ConnectorErrorCodes.AuthorizationFailed,
    );
  });

  it('refuses a code used twice as social_auth_code_invalid', async () => {
    const connector = await connectorWith();
    const { url, session } = await startSignIn(connector, loopback);
    const { fields } = await apple.authorize(url);
    await connector.getUserInfo(fields, session.getSession);
    await expectConnectorError(
      connector.getUserInfo(fields, session.getSession),
      ConnectorErrorCodes.SocialAuthCodeInvalid,
    );
  });

  it('signs in with the official config (no key) against the same emulator, without the token endpoint', async () => {
    const { clientId, scope } = apple.connectorConfig;
    const connector = await connectorWith({ clientId, scope });
    const tokenRequestsBefore = apple.requests.filter(({ path }) => path === '/auth/token').length;
    const { url, session } = await startSignIn(connector, loopback);
    const { fields } = await apple.authorize(url);
    const { tokenResponse, userInfo } = await connector.getTokenResponseAndUserInfo!(
      fields,
      session.getSession,
    );
    expect(userInfo).toMatchObject({ id: apple.accounts[0]!.sub, email: apple.accounts[0]!.email });
    expect(tokenResponse).toBeUndefined();
    expect(apple.requests.filter(({ path }) => path === '/auth/token')).toHaveLength(
      tokenRequestsBefore,
    );
  });
});
