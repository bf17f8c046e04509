import {
  expectConnectorError as expectSecretFreeConnectorError,
  type ProviderMock,
} from '@idplug/testing';
import type { ConnectorError, ConnectorErrorCodes, SocialConnector } from '@logto/connector-kit';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { expect } from 'vitest';
import { googleEndpoints } from './constants';
import createGoogleConnector, {
  configureGoogleConnector,
  type GoogleConnectorOptions,
} from './index';

/**
 * Test support (not shipped: only `src/index.ts` is bundled): RSA keys generated per test file,
 * ID tokens signed with them, msw handlers keyed by Google's real URLs, and a request counter.
 */

export const clientId = 'client-id.apps.googleusercontent.com';
export const clientSecret = 'client-secret-value';
export const redirectUri = 'https://logto.example.com/callback/google-universal';
export const validConfig = { clientId, clientSecret };

export type SigningKey = {
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
  kid: string;
};

export const createSigningKey = async (kid = 'google-key-1'): Promise<SigningKey> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, publicJwk, kid };
};

/** A Google-shaped ID token payload for `clientId`, valid for an hour. */
export const googleClaims = (overrides: JWTPayload = {}): JWTPayload => {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://accounts.google.com',
    azp: clientId,
    aud: clientId,
    sub: '110169484474386276334',
    email: 'ada@example.com',
    email_verified: true,
    name: 'Ada Lovelace',
    given_name: 'Ada',
    family_name: 'Lovelace',
    picture: 'https://lh3.googleusercontent.com/a/ada',
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
};

/** Signs `payload` (claims set to `undefined` are left out) with `key`. */
export const signIdToken = async (
  key: SigningKey,
  payload: JWTPayload,
  header: { kid?: string; alg?: string } = {},
): Promise<string> => {
  const claims = Object.fromEntries(
    Object.entries(payload).filter(([, value]) => value !== undefined),
  );
  return new SignJWT(claims)
    .setProtectedHeader({ alg: header.alg ?? 'RS256', kid: header.kid ?? key.kid, typ: 'JWT' })
    .sign(key.privateKey);
};

export const jwksHandler = (...keys: SigningKey[]) =>
  http.get(googleEndpoints.jwksUri, () =>
    HttpResponse.json({ keys: keys.map((key) => key.publicJwk) }),
  );

/** The requests a provider mock saw, as `METHOD url` lines. */
export const requestLines = (mock: ProviderMock): string[] =>
  mock.requests.map(({ method, url }) => `${method} ${url}`);

export type Session = Record<string, unknown>;

/** A connector with `config`, and the session Logto would keep for it. */
export const connectorWith = async (
  config: Record<string, unknown> = validConfig,
  options?: GoogleConnectorOptions,
): Promise<SocialConnector & { session: Session }> => {
  const create = options ? configureGoogleConnector(options) : createGoogleConnector;
  const connector = await create({ getConfig: async () => config });
  return Object.assign(connector, { session: {} as Session });
};

/** Starts a sign-in the way Logto does; returns the authorization URL's query. */
export const startSignIn = async (
  connector: SocialConnector & { session: Session },
  extra: Record<string, unknown> = {},
): Promise<URLSearchParams> => {
  const url = await connector.getAuthorizationUri(
    {
      state: 'state-value',
      redirectUri,
      connectorId: 'google-connector-id',
      connectorFactoryId: 'google-universal',
      jti: 'jti-value',
      headers: {},
      ...extra,
    },
    async (session) => {
      Object.assign(connector.session, session);
    },
  );
  const parsed = new URL(url);
  expect(`${parsed.origin}${parsed.pathname}`).toBe(googleEndpoints.authorizationEndpoint);
  return parsed.searchParams;
};

export const getSessionOf = (connector: { session: Session }) => async () => connector.session;

/** What no error of these tests may show, not even as a prefix (the client secret, a refresh token). */
export const secrets = [clientSecret, '1//refresh-token-value'];

/** `@idplug/testing`'s check: a `ConnectorError` of `code` that shows none of `secrets`. */
export const expectConnectorError = (
  promise: Promise<unknown>,
  code: ConnectorErrorCodes,
): Promise<ConnectorError> => expectSecretFreeConnectorError(promise, { code, secrets });
