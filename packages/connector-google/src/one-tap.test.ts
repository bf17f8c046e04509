import { clearJwksCache } from '@idplug/base';
import { useProviderMock } from '@idplug/testing';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { delay, HttpResponse, http } from 'msw';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleEndpoints } from './constants';
import {
  connectorWith,
  createSigningKey,
  expectConnectorError,
  googleClaims,
  jwksHandler,
  requestLines,
  type SigningKey,
  signIdToken,
  validConfig,
} from './google-test-kit';

const mock = useProviderMock();
let key: SigningKey;
let otherKey: SigningKey;

beforeAll(async () => {
  key = await createSigningKey('google-key-1');
  // Same `kid` as Google's key, but not Google's: a forged token.
  otherKey = await createSigningKey('google-key-1');
});
beforeEach(() => {
  clearJwksCache();
});

/** What Logto passes `getUserInfo` for a One Tap sign-in (no session: One Tap has no redirect). */
const oneTapSignIn = async (
  credential: unknown,
  config: Record<string, unknown> = validConfig,
  options?: Parameters<typeof connectorWith>[1],
) => {
  const connector = await connectorWith(config, options);
  return connector.getUserInfo({ credential, g_csrf_token: 'csrf-value' }, async () => ({}));
};

describe('One Tap', () => {
  it('signs in with a verified credential, without a session or a code', async () => {
    mock.use(jwksHandler(key));
    const user = await oneTapSignIn(await signIdToken(key, googleClaims()));
    expect(user).toMatchObject({
      id: '110169484474386276334',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      avatar: 'https://lh3.googleusercontent.com/a/ada',
    });
  });

  it('does not require g_csrf_token (Logto core checks the CSRF cookie)', async () => {
    mock.use(jwksHandler(key));
    const connector = await connectorWith();
    const credential = await signIdToken(key, googleClaims());
    const user = await connector.getUserInfo({ credential }, async () => ({}));
    expect(user.id).toBe('110169484474386276334');
  });

  it('makes no network request at all in a warm process', async () => {
    mock.use(jwksHandler(key));
    const credential = await signIdToken(key, googleClaims());
    await oneTapSignIn(credential);
    expect(requestLines(mock)).toEqual([`GET ${googleEndpoints.jwksUri}`]);
    // Warm from here on: the JWKS is in the process cache.
    mock.requests.length = 0;

    for (let round = 0; round < 3; round++) {
      const user = await oneTapSignIn(
        await signIdToken(key, googleClaims({ sub: `user-${round}` })),
      );
      expect(user.id).toBe(`user-${round}`);
    }
    expect(requestLines(mock)).toEqual([]);
  });

  it('returns the token response shape for token storage, without tokens', async () => {
    mock.use(jwksHandler(key));
    const connector = await connectorWith();
    const result = await connector.getTokenResponseAndUserInfo!(
      { credential: await signIdToken(key, googleClaims()) },
      async () => ({}),
    );
    expect(result.userInfo.id).toBe('110169484474386276334');
    expect(result.tokenResponse).toBeUndefined();
  });

  it('leaves out an email Google has not verified', async () => {
    mock.use(jwksHandler(key));
    const user = await oneTapSignIn(
      await signIdToken(key, googleClaims({ email_verified: false })),
    );
    expect(user.email).toBeUndefined();
  });

  it('enforces the hosted domain', async () => {
    mock.use(jwksHandler(key));
    const config = { ...validConfig, hd: 'example.com' };
    expect(
      (await oneTapSignIn(await signIdToken(key, googleClaims({ hd: 'example.com' })), config)).id,
    ).toBe('110169484474386276334');
    await expectConnectorError(
      oneTapSignIn(await signIdToken(key, googleClaims()), config),
      ConnectorErrorCodes.AuthorizationFailed,
    );
  });
});

describe('One Tap credentials that must be rejected', () => {
  const rejects = async (credential: unknown, reason?: string) => {
    mock.use(jwksHandler(key));
    const error = await expectConnectorError(
      oneTapSignIn(credential),
      ConnectorErrorCodes.SocialIdTokenInvalid,
    );
    if (reason) {
      expect(error.message).toContain(reason);
    }
  };

  it('rejects an expired credential', async () => {
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    await rejects(
      await signIdToken(key, googleClaims({ iat: hourAgo - 3600, exp: hourAgo })),
      'expired',
    );
  });

  it('rejects a credential issued to another client', async () => {
    await rejects(await signIdToken(key, googleClaims({ aud: 'other-client' })), 'aud');
  });

  it('rejects a credential from another issuer', async () => {
    await rejects(
      await signIdToken(key, googleClaims({ iss: 'https://accounts.evil.example' })),
      'iss',
    );
  });

  it('rejects a credential whose signature is not Google’s', async () => {
    await rejects(await signIdToken(otherKey, googleClaims()), 'signature');
  });

  it('rejects an unsigned credential (alg none)', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    await rejects(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(googleClaims())}.`);
  });

  it('rejects a credential whose signing key is unknown', async () => {
    await rejects(await signIdToken(key, googleClaims(), { kid: 'unknown-kid' }), 'kid');
  });

  it('rejects a credential that is not a JWT', async () => {
    await rejects('not-a-jwt');
    await rejects({ nested: 'object' }, 'not a JWT string');
    await rejects(42);
  });
});

describe('JWKS failures are connector errors, never raw', () => {
  const credential = () => signIdToken(key, googleClaims());

  it('when Google answers the JWKS request with a 500', async () => {
    mock.use(http.get(googleEndpoints.jwksUri, () => HttpResponse.text('oops', { status: 500 })));
    const error = await expectConnectorError(
      oneTapSignIn(await credential()),
      ConnectorErrorCodes.General,
    );
    expect(error.message).toContain('answered HTTP 500');
  });

  it('when the JWKS request fails at the network level', async () => {
    mock.use(http.get(googleEndpoints.jwksUri, () => HttpResponse.error()));
    await expectConnectorError(oneTapSignIn(await credential()), ConnectorErrorCodes.General);
  });

  it('when the JWKS body is not JSON', async () => {
    mock.use(
      http.get(
        googleEndpoints.jwksUri,
        () => new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } }),
      ),
    );
    // The key download follows base's error table: a malformed body is the provider's.
    await expectConnectorError(
      oneTapSignIn(await credential()),
      ConnectorErrorCodes.InvalidResponse,
    );
  });

  it('when the JWKS is JSON but not a key set', async () => {
    mock.use(http.get(googleEndpoints.jwksUri, () => HttpResponse.json({ keys: 'rotating' })));
    await expectConnectorError(
      oneTapSignIn(await credential()),
      ConnectorErrorCodes.InvalidResponse,
    );
  });

  it('when the JWKS does not answer in time', async () => {
    mock.use(
      http.get(googleEndpoints.jwksUri, async () => {
        await delay(2000);
        return HttpResponse.json({ keys: [key.publicJwk] });
      }),
    );
    const error = await expectConnectorError(
      oneTapSignIn(await credential(), validConfig, { timeoutMs: 200 }),
      ConnectorErrorCodes.General,
    );
    expect(error.message).toContain('did not answer within 200 ms');
  });
});
