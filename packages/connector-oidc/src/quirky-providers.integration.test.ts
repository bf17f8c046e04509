import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import {
  createOAuthBrowser,
  defaultOidcEmulatorClient,
  type OidcEmulator,
  startCustomClaimsOidcEmulator,
  startOidcEmulator,
} from '@idplug/emulators';
import { expectConnectorError, startSocialSignIn } from '@idplug/testing';
import { ConnectorErrorCodes, type SocialConnector } from '@logto/connector-kit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import createOidcConnector from './index';

/**
 * Providers that put the claims elsewhere or want more on the userinfo request, as real
 * OpenID Providers (panva's oidc-provider) on loopback: email in `preferred_username` / `upn` with
 * `email_verified: "true"`, a profile nested under `data`, a claim released only when asked for by
 * the `claims` parameter, and a userinfo endpoint that answers 401 without `Client-Id`. Each signs
 * in with a config and no code.
 */

const client = defaultOidcEmulatorClient;
const redirectUri = client.redirectUris[0] ?? '';
let customClaims: OidcEmulator;
let clientIdHeader: OidcEmulator;

beforeAll(async () => {
  [customClaims, clientIdHeader] = await Promise.all([
    startCustomClaimsOidcEmulator(),
    startOidcEmulator({ userinfoRequiredHeaders: { 'client-id': client.clientId } }),
  ]);
});
afterAll(async () => {
  await Promise.all([customClaims?.stop(), clientIdHeader?.stop()]);
});
beforeEach(() => {
  clearJwksCache();
  clearDiscoveryCache();
});
afterEach(() => {
  expect(customClaims.serverErrors).toEqual([]);
  expect(clientIdHeader.serverErrors).toEqual([]);
});

const configFor = (emulator: OidcEmulator, config: Record<string, unknown> = {}) => ({
  issuer: emulator.issuer,
  clientId: client.clientId,
  clientSecret: client.clientSecret,
  tokenEndpointAuthMethod: 'client_secret_basic',
  scope: 'openid profile email',
  ...config,
});

/** getAuthorizationUri, the emulator's login and consent as `accountId`, then getUserInfo. */
const signIn = async (config: Record<string, unknown>, accountId: string) => {
  const connector = (await createOidcConnector({
    getConfig: async () => config,
  })) as SocialConnector;
  const { url, session } = await startSocialSignIn(connector, { redirectUri });
  const { params } = await createOAuthBrowser().authorize(url, { accountId });
  return { url, user: () => connector.getUserInfo(params, session.getSession) };
};

describe('email in preferred_username / upn, email_verified "true"', () => {
  it('signs in with the email from the fallback paths when the verification claim is mapped', async () => {
    const { url, user } = await signIn(
      configFor(customClaims, {
        profileMap: {
          email: ['email', 'preferred_username', 'upn'],
          emailVerified: 'email_verified',
        },
      }),
      'user-upn',
    );
    // pkce 'auto': oidc-provider's discovery lists S256 (and the emulator requires PKCE).
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(await user()).toMatchObject({
      id: 'user-upn',
      name: 'Ada Upn',
      email: 'ada@contoso.example',
    });
  });

  it('leaves the email out without a map: there is no email claim', async () => {
    const { user } = await signIn(
      configFor(customClaims, { acceptStringTypedBooleanClaims: true }),
      'user-upn',
    );
    const signedIn = await user();
    expect(signedIn.id).toBe('user-upn');
    expect(signedIn.email).toBeUndefined();
  });
});

describe('a profile nested under data', () => {
  it('signs in from data.attributes, verified by the nested "true"', async () => {
    const { user } = await signIn(
      configFor(customClaims, {
        profileMap: {
          email: 'data.attributes.email',
          emailVerified: 'data.attributes.email_verified',
          name: 'data.attributes.name',
        },
      }),
      'user-nested',
    );
    expect(await user()).toMatchObject({
      id: 'user-nested',
      email: 'nested@claims.example',
      name: 'Nesta Claims',
    });
  });
});

describe('requestedClaims', () => {
  it('gets a claim no granted scope releases by asking for it in the claims parameter', async () => {
    const config = configFor(customClaims, {
      scope: 'openid',
      profileMap: { email: 'upn', emailVerified: 'email_verified' },
    });
    const without = await signIn(config, 'user-upn');
    expect((await without.user()).email).toBeUndefined();

    const { url, user } = await signIn(
      { ...config, requestedClaims: { id_token: { upn: null, email_verified: null } } },
      'user-upn',
    );
    expect(url.searchParams.get('claims')).toBe('{"id_token":{"upn":null,"email_verified":null}}');
    expect(await user()).toMatchObject({ id: 'user-upn', email: 'ada@contoso.example' });
  });
});

describe('a userinfo endpoint that wants Client-Id', () => {
  it('signs in with userInfoHeaders sending the client ID', async () => {
    const { user } = await signIn(
      configFor(clientIdHeader, { userInfoHeaders: { 'Client-Id': '{{clientId}}' } }),
      'user-alice',
    );
    expect(await user()).toMatchObject({ id: 'user-alice', email: 'alice@example.com' });
  });

  it('is refused without it: social_invalid_access_token', async () => {
    const { user } = await signIn(configFor(clientIdHeader), 'user-alice');
    await expectConnectorError(user(), {
      code: ConnectorErrorCodes.SocialAccessTokenInvalid,
      secrets: [client.clientSecret ?? ''],
    });
  });

  it('signs in from the ID token alone when user info is not fetched', async () => {
    const { user } = await signIn(
      configFor(clientIdHeader, { fetchUserInfo: false }),
      'user-alice',
    );
    expect((await user()).id).toBe('user-alice');
  });
});
