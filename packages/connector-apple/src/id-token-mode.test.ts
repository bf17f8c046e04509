import { clearJwksCache } from '@idplug/base';
import { useProviderMock } from '@idplug/testing';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appleClaims,
  appleSub,
  clientId,
  connectorWith,
  createSigningKey,
  expectConnectorError,
  jwksHandler,
  officialConfig,
  type SigningKey,
  signIdToken,
  startSignIn,
} from './apple-test-kit';
import { appleEndpoints } from './constants';

// The official config (`clientId`, `scope`): the connector signs in with the ID token Apple posts.
const mock = useProviderMock();
let key: SigningKey;
let impostor: SigningKey;

beforeAll(async () => {
  key = await createSigningKey('apple-key-1');
  // Apple's kid, another key.
  impostor = await createSigningKey('apple-key-1');
});
beforeEach(() => clearJwksCache());

const firstSignInUser = JSON.stringify({
  name: { firstName: 'Ada', lastName: 'Lovelace' },
  email: 'ada@example.com',
});

/** A whole sign-in: authorization URL, then the fields Apple posts (with a token for the nonce). */
const signIn = async (
  claims: Parameters<typeof appleClaims>[0] = {},
  posted: Record<string, unknown> = {},
  config: Record<string, unknown> = officialConfig,
) => {
  mock.use(jwksHandler(key));
  const connector = await connectorWith(config);
  const { session, nonce } = await startSignIn(connector);
  const idToken = await signIdToken(key, appleClaims({ nonce, ...claims }));
  return connector.getUserInfo(
    { code: 'c0de', id_token: idToken, state: 'state-value', ...posted },
    session.getSession,
  );
};

describe('authorization request (as the official connector sends it)', () => {
  it('asks for code id_token with form_post, the configured scope and a nonce kept in the session', async () => {
    const connector = await connectorWith();
    const { url, query, session } = await startSignIn(connector);
    expect(`${url.origin}${url.pathname}`).toBe(appleEndpoints.authorizationEndpoint);
    expect(Object.fromEntries(query)).toEqual({
      client_id: clientId,
      redirect_uri: 'https://logto.example.com/callback/apple-universal',
      response_type: 'code id_token',
      response_mode: 'form_post',
      scope: 'name email',
      state: 'state-value',
      nonce: session.current.nonce,
    });
    expect(String(session.current.nonce).length).toBeGreaterThanOrEqual(16);
  });

  it('sends the scope of the request over the configured one, and none when neither is set', async () => {
    const connector = await connectorWith({ clientId });
    expect((await startSignIn(connector)).query.has('scope')).toBe(false);
    expect((await startSignIn(connector, { scope: 'email' })).query.get('scope')).toBe('email');
  });
});

describe('ID-token-only sign-in', () => {
  it('signs in with the posted ID token: id from `sub`, email, and the first-sign-in name', async () => {
    const user = await signIn({}, { user: firstSignInUser });
    expect(user).toMatchObject({ id: appleSub, email: 'ada@example.com', name: 'Ada Lovelace' });
    expect(mock.requests.map(({ url }) => url)).toEqual([appleEndpoints.jwksUri]);
  });

  it('signs in without `user` on later sign-ins (no name, the email from the token)', async () => {
    const user = await signIn();
    expect(user.id).toBe(appleSub);
    expect(user.email).toBe('ada@example.com');
    expect(user.name).toBeUndefined();
  });

  it('reads `email_verified` as the boolean true and as the string "true"', async () => {
    expect((await signIn({ email_verified: true })).email).toBe('ada@example.com');
    expect((await signIn({ email_verified: 'true' })).email).toBe('ada@example.com');
    expect((await signIn({ email_verified: 'false' })).email).toBeUndefined();
    expect((await signIn({ email_verified: false })).email).toBeUndefined();
    expect((await signIn({ email_verified: undefined })).email).toBeUndefined();
  });

  it('returns a private relay address as the email', async () => {
    const relay = 'k7x9q2mz4p@privaterelay.appleid.com';
    const user = await signIn({ email: relay, is_private_email: 'true' });
    expect(user.email).toBe(relay);
  });

  it('never takes the email from the unsigned `user` field', async () => {
    const user = await signIn(
      { email: undefined, email_verified: undefined },
      { user: JSON.stringify({ email: 'victim@example.com', name: { firstName: 'Eve' } }) },
    );
    expect(user.email).toBeUndefined();
    expect(user.name).toBe('Eve');
  });

  it('keeps unicode names, and ignores a `user` field that is not the JSON Apple sends', async () => {
    const unicode = JSON.stringify({ name: { firstName: 'Zoë', lastName: '山田' } });
    expect((await signIn({}, { user: unicode })).name).toBe('Zoë 山田');
    expect((await signIn({}, { user: '{not json' })).id).toBe(appleSub);
    expect((await signIn({}, { user: '[1,2]' })).name).toBeUndefined();
    // Already parsed by the host: accepted as well.
    expect((await signIn({}, { user: { name: { lastName: 'Hopper' } } })).name).toBe('Hopper');
  });

  it('fetches Apple’s keys once: a warm sign-in makes no JWKS request', async () => {
    await signIn();
    mock.requests.length = 0;
    await signIn();
    expect(mock.requests).toEqual([]);
  });

  it('never calls the token endpoint without a signing key, and returns no token response', async () => {
    mock.use(jwksHandler(key));
    const connector = await connectorWith();
    const { session, nonce } = await startSignIn(connector);
    const result = await connector.getTokenResponseAndUserInfo!(
      { id_token: await signIdToken(key, appleClaims({ nonce })), code: 'c0de' },
      session.getSession,
    );
    expect(result.tokenResponse).toBeUndefined();
    expect(result.userInfo.id).toBe(appleSub);
    expect(mock.requests.map(({ url }) => url)).not.toContain(appleEndpoints.tokenEndpoint);
  });
});

describe('ID-token-only rejections', () => {
  it('rejects a token of another audience, another issuer, an expired one, or another key', async () => {
    for (const claims of [
      { aud: 'com.example.app' },
      { iss: 'https://appleid.apple.com.example.net' },
      { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 },
    ]) {
      await expectConnectorError(signIn(claims), ConnectorErrorCodes.SocialIdTokenInvalid);
    }
    mock.use(jwksHandler(key));
    const connector = await connectorWith();
    const { session, nonce } = await startSignIn(connector);
    const forged = await signIdToken(impostor, appleClaims({ nonce }));
    await expectConnectorError(
      connector.getUserInfo({ id_token: forged }, session.getSession),
      ConnectorErrorCodes.SocialIdTokenInvalid,
    );
  });

  it('requires the nonce of this sign-in when one was sent', async () => {
    await expectConnectorError(
      signIn({ nonce: undefined }),
      ConnectorErrorCodes.SocialIdTokenInvalid,
    );
    await expectConnectorError(
      signIn({ nonce: 'another' }),
      ConnectorErrorCodes.SocialIdTokenInvalid,
    );
  });

  it('accepts a token without a nonce when no sign-in session was started, not one bound to another', async () => {
    mock.use(jwksHandler(key));
    const connector = await connectorWith();
    const plain = await signIdToken(key, appleClaims());
    expect((await connector.getUserInfo({ id_token: plain }, async () => ({}))).id).toBe(appleSub);
    const bound = await signIdToken(key, appleClaims({ nonce: 'from-elsewhere' }));
    await expectConnectorError(
      connector.getUserInfo({ id_token: bound }, async () => ({})),
      ConnectorErrorCodes.SocialIdTokenInvalid,
    );
  });

  it('rejects a callback without an ID token', async () => {
    const connector = await connectorWith();
    const { session } = await startSignIn(connector);
    await expectConnectorError(
      connector.getUserInfo({ code: 'c0de', state: 'state-value' }, session.getSession),
      ConnectorErrorCodes.SocialIdTokenInvalid,
    );
    await expectConnectorError(
      connector.getUserInfo({ id_token: 42 }, session.getSession),
      ConnectorErrorCodes.SocialIdTokenInvalid,
    );
  });

  it('reports a cancelled Apple dialog as authorization_failed, other callback errors by RFC 6749', async () => {
    const connector = await connectorWith();
    const error = await expectConnectorError(
      connector.getUserInfo({ error: 'user_cancelled_authorize', state: 's' }, async () => ({})),
      ConnectorErrorCodes.AuthorizationFailed,
    );
    expect(error.message).toContain('cancelled');
    await expectConnectorError(
      connector.getUserInfo({ error: 'invalid_request' }, async () => ({})),
      ConnectorErrorCodes.General,
    );
  });

  it('refuses a refresh without a signing key as invalid_config, asking Apple nothing', async () => {
    const connector = await connectorWith();
    const error = await expectConnectorError(
      connector.getAccessTokenByRefreshToken!('r0123.0.refresh'),
      ConnectorErrorCodes.InvalidConfig,
    );
    expect(error.message).toContain('teamId');
    expect(mock.requests).toEqual([]);
  });
});
