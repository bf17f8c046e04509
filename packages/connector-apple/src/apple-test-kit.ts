import { createConnectorSession } from '@idplug/testing';
import {
  ConnectorError,
  type ConnectorErrorCodes,
  type SocialConnector,
} from '@logto/connector-kit';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { expect } from 'vitest';
import { appleEndpoints } from './constants';
import createAppleConnector from './index';

/**
 * Test support (not shipped: only `src/index.ts` is bundled): RSA keys made per test file, Apple
 * ID tokens signed with them, the JWKS at Apple's real URL through msw, and Logto's sign-in.
 */

export const clientId = 'com.example.web';
export const redirectUri = 'https://logto.example.com/callback/apple-universal';
export const officialConfig = { clientId, scope: 'name email' };
export const appleSub = '001234.0a1b2c3d4e5f60718293a4b5c6d7e8f9.1234';

export type SigningKey = {
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
  kid: string;
};

export const createSigningKey = async (kid = 'apple-key-1'): Promise<SigningKey> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    kid,
  };
};

/** An Apple-shaped ID token payload for `clientId`, with Apple's string booleans. */
export const appleClaims = (overrides: JWTPayload = {}): JWTPayload => {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://appleid.apple.com',
    aud: clientId,
    sub: appleSub,
    iat: now,
    exp: now + 600,
    email: 'ada@example.com',
    email_verified: 'true',
    is_private_email: 'false',
    auth_time: now,
    nonce_supported: true,
    ...overrides,
  };
};

/** Signs `payload` (claims set to `undefined` are left out) with `key`. */
export const signIdToken = async (key: SigningKey, payload: JWTPayload): Promise<string> =>
  new SignJWT(
    Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined)),
  )
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .sign(key.privateKey);

export const jwksHandler = (...keys: SigningKey[]) =>
  http.get(appleEndpoints.jwksUri, () =>
    HttpResponse.json({ keys: keys.map((key) => key.publicJwk) }),
  );

export const connectorWith = async (config: Record<string, unknown> = officialConfig) =>
  (await createAppleConnector({ getConfig: async () => config })) as SocialConnector;

/** `getAuthorizationUri` as Logto calls it: the URL's query and the session it filled. */
export const startSignIn = async (
  connector: SocialConnector,
  extra: Record<string, unknown> = {},
) => {
  const session = createConnectorSession();
  const url = new URL(
    await connector.getAuthorizationUri(
      {
        state: 'state-value',
        redirectUri,
        connectorId: 'apple-connector-id',
        connectorFactoryId: 'apple-universal',
        jti: 'jti-value',
        headers: {},
        ...extra,
      },
      session.setSession,
    ),
  );
  return { url, query: url.searchParams, session, nonce: String(session.current.nonce) };
};

/** Awaits `promise`, expecting a `ConnectorError` with `code`; returns it. */
export const expectConnectorError = async (
  promise: Promise<unknown>,
  code: ConnectorErrorCodes | string,
): Promise<ConnectorError> => {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).code, (error as ConnectorError).message).toBe(code);
  return error as ConnectorError;
};
