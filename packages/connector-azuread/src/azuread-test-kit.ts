import { clearJwksCache } from '@idplug/base';
import { createConnectorSession, type ProviderMock } from '@idplug/testing';
import {
  ConnectorError,
  type ConnectorErrorCodes,
  type SocialConnector,
} from '@logto/connector-kit';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { expect } from 'vitest';
import { consumersTenantId } from './constants';
import createAzureAdConnector from './index';
import { clearTenantDiscoveryCache } from './tenant';

/**
 * Test support (not shipped: only `src/index.ts` is bundled): an RSA key per test file, ID tokens
 * shaped like Microsoft's v2.0 tokens, and msw handlers keyed by Microsoft's real URLs.
 */

export const clientId = '6731de76-14a6-49ae-97bc-6eba6914391e';
export const clientSecret = 'azuread-client-secret-Value~1234';
export const redirectUri = 'https://logto.example.com/callback/azuread-universal';
export const tenantId = 'aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb';
export const otherTenantId = 'cccccccc-4444-4555-8666-dddddddddddd';
export const accessToken = 'eyJ0eXAiOiJKV1Qi.graph-access-token';
export const login = 'https://login.microsoftonline.com';
export const graphMe = 'https://graph.microsoft.com/v1.0/me';

export const configFor = (overrides: Record<string, unknown> = {}) => ({
  clientId,
  clientSecret,
  cloudInstance: login,
  tenantId,
  ...overrides,
});

export type SigningKey = {
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
};

export const createSigningKey = async (kid = 'entra-key-1'): Promise<SigningKey> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256' } };
};

/** A work account's v2.0 ID token claims in tenant `tid` (personal accounts: `consumersTenantId`). */
export const entraClaims = (tid: string, overrides: JWTPayload = {}): JWTPayload => {
  const now = Math.floor(Date.now() / 1000);
  return {
    ver: '2.0',
    iss: `${login}/${tid}/v2.0`,
    aud: clientId,
    tid,
    oid: '00000000-0000-0000-66f3-3332eca7ea81',
    sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
    preferred_username: 'admin-chosen@contoso.example',
    name: 'Megan Bowen',
    iat: now,
    nbf: now,
    exp: now + 3600,
    ...overrides,
  };
};

export const signIdToken = (key: SigningKey, claims: JWTPayload) =>
  new SignJWT(Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)))
    .setProtectedHeader({ alg: 'RS256', kid: key.publicJwk.kid as string, typ: 'JWT' })
    .sign(key.privateKey);

/** Graph `/me` of a work account, as Graph answers it without `$select`. */
export const graphUser = (overrides: Record<string, unknown> = {}) => ({
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
  businessPhones: ['+1 412 555 0109'],
  displayName: 'Megan Bowen',
  givenName: 'Megan',
  jobTitle: 'Auditor',
  mail: 'MeganB@contoso.example',
  mobilePhone: '+1 425 555 0109',
  officeLocation: '12/1110',
  preferredLanguage: 'en-US',
  surname: 'Bowen',
  userPrincipalName: 'MeganB@contoso.example',
  id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
  ...overrides,
});

/**
 * What the "provider" answers for the current test: the claims of the next ID token (the nonce
 * of the sign-in is added by `signIn`), the Graph user, and the signing key.
 */
export type ProviderState = {
  key: SigningKey;
  claims: JWTPayload;
  me: Record<string, unknown>;
  tokenExtras: Record<string, unknown>;
};

/** msw handlers for a cloud (`login`) and its Graph: token, JWKS (any tenant path) and `/me`. */
export const entraHandlers = (
  state: () => ProviderState,
  { loginOrigin = login, meUrl = graphMe } = {},
) => [
  http.post(`${loginOrigin}/:tenant/oauth2/v2.0/token`, async () => {
    const { key, claims, tokenExtras } = state();
    return HttpResponse.json({
      token_type: 'Bearer',
      scope: 'User.Read openid profile email',
      expires_in: 4739,
      ext_expires_in: 4739,
      access_token: accessToken,
      refresh_token: '1.AXoA-refresh-token',
      id_token: await signIdToken(key, claims),
      ...tokenExtras,
    });
  }),
  http.get(`${loginOrigin}/:tenant/discovery/v2.0/keys`, () =>
    HttpResponse.json({ keys: [state().key.publicJwk] }),
  ),
  http.get(meUrl, ({ request }) =>
    request.headers.get('authorization') === `Bearer ${accessToken}`
      ? HttpResponse.json(state().me)
      : HttpResponse.json(
          { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } },
          { status: 401 },
        ),
  ),
];

export const load = async (config: Record<string, unknown> = configFor()) =>
  (await createAzureAdConnector({ getConfig: async () => config })) as SocialConnector;

/** A sign-in the way Logto runs one; `claims` get this sign-in's nonce. */
export const signIn = async (
  connector: SocialConnector,
  state: ProviderState,
  callback: Record<string, string> = { code: 'authorization-code' },
) => {
  const session = createConnectorSession();
  await connector.getAuthorizationUri(
    {
      state: 'state-1',
      redirectUri,
      connectorId: 'azuread',
      connectorFactoryId: 'azuread-universal',
      jti: 'jti',
      headers: {},
    },
    session.setSession,
  );
  state.claims = { nonce: session.current.nonce as string, ...state.claims };
  return {
    session,
    result: await connector.getTokenResponseAndUserInfo!(callback, session.getSession),
  };
};

/** Forget every per-process cache: each test starts cold. */
export const clearCaches = () => {
  clearJwksCache();
  clearTenantDiscoveryCache();
};

export const requestLines = (mock: ProviderMock) =>
  mock.requests.map(({ method, url }) => `${method} ${url.split('?')[0]}`);

export const expectConnectorError = async (
  promise: Promise<unknown>,
  code: ConnectorErrorCodes | `${ConnectorErrorCodes}`,
): Promise<ConnectorError> => {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  const connectorErrorValue = error as ConnectorError;
  expect(connectorErrorValue.code, connectorErrorValue.message).toBe(code);
  const visible = `${connectorErrorValue.message} ${JSON.stringify(connectorErrorValue.data)}`;
  expect(visible).not.toContain(clientSecret);
  expect(visible).not.toContain(accessToken);
  return connectorErrorValue;
};

export { consumersTenantId };
