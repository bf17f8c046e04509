import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import { createOAuthBrowser, type OidcEmulator, startOidcEmulator } from '@idplug/emulators';
import { createConnectorSession, startSocialSignIn } from '@idplug/testing';
import { ConnectorError, ConnectorErrorCodes, type SocialConnector } from '@logto/connector-kit';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import createOidcConnector from './index';

/**
 * Against a real, certified OpenID Provider (panva's oidc-provider) on loopback, driven through
 * login and consent over HTTP. The provider requires PKCE.
 */

const redirectUri = 'http://127.0.0.1/callback/oidc';
const clients = {
  /** Official-style config: explicit endpoints, client_secret_basic. */
  static: { clientId: 'static-client', clientSecret: 'static-client-secret-of-at-least-32-chars' },
  /** Discovery from `issuer` alone, client_secret_post (the official default). */
  discovery: {
    clientId: 'discovery-client',
    clientSecret: 'discovery-client-secret-of-at-least-32-chars',
  },
  privateKey: { clientId: 'private-key-client' },
};

let emulator: OidcEmulator;
let staticConfig: Record<string, unknown>;
let discoveryConfig: Record<string, unknown>;
let privateKeyConfig: Record<string, unknown>;

beforeAll(async () => {
  const clientKeys = await generateKeyPair('ES256', { extractable: true });
  emulator = await startOidcEmulator({
    clients: [
      {
        ...clients.static,
        redirectUris: [redirectUri],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
      {
        ...clients.discovery,
        redirectUris: [redirectUri],
        tokenEndpointAuthMethod: 'client_secret_post',
      },
      {
        ...clients.privateKey,
        redirectUris: [redirectUri],
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: {
          keys: [{ ...(await exportJWK(clientKeys.publicKey)), kid: 'client-key', alg: 'ES256' }],
        },
      },
    ],
  });
  staticConfig = {
    authorizationEndpoint: emulator.authorizationEndpoint,
    tokenEndpoint: emulator.tokenEndpoint,
    ...clients.static,
    tokenEndpointAuthMethod: 'client_secret_basic',
    scope: 'openid profile email phone',
    idTokenVerificationConfig: { jwksUri: emulator.jwksUri, issuer: emulator.issuer },
  };
  discoveryConfig = {
    issuer: emulator.issuer,
    ...clients.discovery,
    scope: 'openid profile email phone',
  };
  privateKeyConfig = {
    issuer: emulator.issuer,
    ...clients.privateKey,
    tokenEndpointAuthMethod: 'private_key_jwt',
    clientPrivateKey: await exportPKCS8(clientKeys.privateKey),
    clientPrivateKeySigningAlgorithm: 'ES256',
    clientKeyId: 'client-key',
    scope: 'openid profile email phone',
    fetchUserInfo: false,
  };
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => {
  clearJwksCache();
  clearDiscoveryCache();
});
afterEach(() => {
  vi.useRealTimers();
  expect(emulator.serverErrors).toEqual([]);
});

const alice = {
  id: 'user-alice',
  name: 'Alice Liddell',
  avatar: 'https://example.com/avatars/alice.png',
  email: 'alice@example.com',
  phone: '+15555550100',
};

type Flow = {
  connector: SocialConnector;
  session: ReturnType<typeof createConnectorSession>;
  authorizationUrl: URL;
  callback: Record<string, string>;
};

/** getAuthorizationUri, then a user agent through login and consent, to the callback query. */
const authorize = async (
  config: Record<string, unknown>,
  decision: 'allow' | 'deny' = 'allow',
): Promise<Flow> => {
  const connector = (await createOidcConnector({
    getConfig: async () => config,
  })) as SocialConnector;
  const { url: authorizationUrl, session } = await startSocialSignIn(connector, {
    state: `state-${Math.random()}`,
    redirectUri,
  });
  const { params } = await createOAuthBrowser().authorize(authorizationUrl, {
    accountId: 'user-alice',
    decision,
  });
  return { connector, session, authorizationUrl, callback: params };
};

const errorOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
};

describe('against a real OpenID Provider', () => {
  it('signs in with static endpoints (client_secret_basic, PKCE)', async () => {
    const { connector, session, authorizationUrl, callback } = await authorize(staticConfig);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(callback.iss).toBe(emulator.issuer);
    const user = await connector.getUserInfo(callback, session.getSession);
    expect(user).toMatchObject(alice);
    expect(user.rawData).toMatchObject({ username: 'alice', phone_number_verified: true });
  });

  it('signs in from the issuer alone through discovery (client_secret_post, userinfo merged)', async () => {
    const { connector, session, callback } = await authorize(discoveryConfig);
    emulator.clearRequests();
    const { userInfo, tokenResponse } = await connector.getTokenResponseAndUserInfo!(
      callback,
      session.getSession,
    );
    expect(userInfo).toMatchObject(alice);
    expect(tokenResponse).toMatchObject({ token_type: 'Bearer', id_token: expect.any(String) });
    expect(emulator.requests.map((request) => request.path)).toContain(
      new URL(emulator.userinfoEndpoint).pathname,
    );
  });

  it('signs in with private_key_jwt', async () => {
    const { connector, session, callback } = await authorize(privateKeyConfig);
    expect(await connector.getUserInfo(callback, session.getSession)).toMatchObject(alice);
  });

  it('fails at the provider without PKCE, which it requires', async () => {
    const { connector, session, callback } = await authorize({ ...staticConfig, pkce: false });
    expect(callback.error).toBe('invalid_request');
    const error = await errorOf(connector.getUserInfo(callback, session.getSession));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.message).toMatch(/PKCE|code_challenge/);
  });

  it('rejects a tampered session nonce as social_invalid_id_token', async () => {
    const { connector, session, callback } = await authorize(staticConfig);
    const error = await errorOf(
      connector.getUserInfo(callback, async () => ({ ...session.current, nonce: 'tampered' })),
    );
    expect(error.code).toBe(ConnectorErrorCodes.SocialIdTokenInvalid);
  });

  it('rejects a replayed code as social_auth_code_invalid', async () => {
    const { connector, session, callback } = await authorize(staticConfig);
    await connector.getUserInfo(callback, session.getSession);
    const error = await errorOf(connector.getUserInfo(callback, session.getSession));
    expect(error.code).toBe(ConnectorErrorCodes.SocialAuthCodeInvalid);
  });

  it('reports a denied consent (access_denied) as authorization_failed', async () => {
    const { connector, session, callback } = await authorize(staticConfig, 'deny');
    expect(callback.error).toBe('access_denied');
    const error = await errorOf(connector.getUserInfo(callback, session.getSession));
    expect(error.code).toBe(ConnectorErrorCodes.AuthorizationFailed);
  });

  it('still signs in after the provider rotates its signing key', async () => {
    const first = await authorize(discoveryConfig);
    await first.connector.getUserInfo(first.callback, first.session.getSession);
    const keysBefore = emulator.publishedKeyIds();
    await emulator.rotateSigningKey();
    expect(emulator.publishedKeyIds()).not.toEqual(keysBefore);
    // Past the JWKS refetch cooldown (30 s), so the unknown kid triggers one refetch.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    const second = await authorize(discoveryConfig);
    emulator.clearRequests();
    expect(
      await second.connector.getUserInfo(second.callback, second.session.getSession),
    ).toMatchObject(alice);
    const jwksPath = new URL(emulator.jwksUri).pathname;
    expect(emulator.requests.filter((request) => request.path === jwksPath)).toHaveLength(1);
  });

  it('rejects an expired ID token', async () => {
    const { connector, session, authorizationUrl, callback } = await authorize(staticConfig);
    const nonce = authorizationUrl.searchParams.get('nonce');
    const now = Math.floor(Date.now() / 1000);
    emulator.rewriteNextTokenResponse(async (body) => ({
      ...body,
      id_token: await emulator.signIdToken({
        aud: clients.static.clientId,
        sub: 'user-alice',
        nonce,
        iat: now - 7200,
        exp: now - 3600,
      }),
    }));
    const error = await errorOf(connector.getUserInfo(callback, session.getSession));
    expect(error.code).toBe(ConnectorErrorCodes.SocialIdTokenInvalid);
    expect(error.message).toContain('expired');
  });

  it('rejects an unsigned (alg: none) ID token', async () => {
    const { connector, session, authorizationUrl, callback } = await authorize(staticConfig);
    const nonce = authorizationUrl.searchParams.get('nonce');
    emulator.rewriteNextTokenResponse(async (body) => ({
      ...body,
      id_token: await emulator.signIdToken(
        { aud: clients.static.clientId, sub: 'user-alice', nonce },
        { alg: 'none' },
      ),
    }));
    const error = await errorOf(connector.getUserInfo(callback, session.getSession));
    expect(error.code).toBe(ConnectorErrorCodes.SocialIdTokenInvalid);
  });

  it('rejects an ID token issued to another client', async () => {
    const { connector, session, authorizationUrl, callback } = await authorize(staticConfig);
    const nonce = authorizationUrl.searchParams.get('nonce');
    emulator.rewriteNextTokenResponse(async (body) => ({
      ...body,
      id_token: await emulator.signIdToken({
        aud: clients.discovery.clientId,
        sub: 'user-alice',
        nonce,
      }),
    }));
    const error = await errorOf(connector.getUserInfo(callback, session.getSession));
    expect(error.code).toBe(ConnectorErrorCodes.SocialIdTokenInvalid);
    expect(error.message).toContain('aud');
  });

  it('refreshes the access token with the same client authentication', async () => {
    const config = {
      ...staticConfig,
      scope: 'openid profile offline_access',
      authRequestOptionalConfig: { prompt: 'consent' },
    };
    const { connector, session, callback } = await authorize(config);
    const { tokenResponse } = await connector.getTokenResponseAndUserInfo!(
      callback,
      session.getSession,
    );
    const refreshToken = tokenResponse?.refresh_token;
    expect(refreshToken).toEqual(expect.any(String));
    const refreshed = await connector.getAccessTokenByRefreshToken!(refreshToken!);
    expect(refreshed.access_token).toEqual(expect.any(String));
    expect(refreshed.access_token).not.toBe(tokenResponse?.access_token);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
  });

  it('makes exactly one request, the token request, for a warm sign-in without userinfo', async () => {
    const config = { ...discoveryConfig, fetchUserInfo: false };
    // Cold: discovery, token, JWKS.
    const cold = await authorize(config);
    await cold.connector.getUserInfo(cold.callback, cold.session.getSession);

    const connector = (await createOidcConnector({
      getConfig: async () => config,
    })) as SocialConnector;
    const session = createConnectorSession();
    emulator.clearRequests();
    const url = await connector.getAuthorizationUri(
      {
        state: 'warm',
        redirectUri,
        connectorId: 'oidc',
        connectorFactoryId: 'oidc',
        jti: 'j',
        headers: {},
      },
      session.setSession,
    );
    expect(emulator.requests).toEqual([]);
    const { params } = await createOAuthBrowser().authorize(url, { accountId: 'user-alice' });
    emulator.clearRequests();
    expect(await connector.getUserInfo(params, session.getSession)).toMatchObject(alice);
    expect(emulator.requests).toEqual([
      { method: 'POST', path: new URL(emulator.tokenEndpoint).pathname },
    ]);
  });
});

describe('against a provider that releases profile claims only from userinfo (OIDC Core §5.4)', () => {
  let strict: OidcEmulator;
  beforeAll(async () => {
    strict = await startOidcEmulator({
      scopeClaimsInIdToken: false,
      clients: [
        {
          ...clients.discovery,
          redirectUris: [redirectUri],
          tokenEndpointAuthMethod: 'client_secret_post',
        },
      ],
    });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it('merges the userinfo claims into the ID token’s', async () => {
    const { connector, session, callback } = await authorize({
      issuer: strict.issuer,
      ...clients.discovery,
      scope: 'openid profile email phone',
    });
    expect(await connector.getUserInfo(callback, session.getSession)).toMatchObject(alice);
  });

  it('signs in with the subject alone when userinfo is switched off', async () => {
    const { connector, session, callback } = await authorize({
      issuer: strict.issuer,
      ...clients.discovery,
      fetchUserInfo: false,
    });
    const user = await connector.getUserInfo(callback, session.getSession);
    expect(user.id).toBe('user-alice');
    expect(user).not.toHaveProperty('email');
  });
});
