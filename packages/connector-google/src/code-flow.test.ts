import { clearJwksCache } from '@idplug/base';
import { useProviderMock } from '@idplug/testing';
import { ConnectorErrorCodes, type SocialConnector } from '@logto/connector-kit';
import { delay, HttpResponse, http } from 'msw';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { googleEndpoints } from './constants';
import {
  clientId,
  clientSecret,
  connectorWith,
  createSigningKey,
  expectConnectorError,
  getSessionOf,
  googleClaims,
  jwksHandler,
  redirectUri,
  requestLines,
  type Session,
  type SigningKey,
  signIdToken,
  startSignIn,
  validConfig,
} from './google-test-kit';

const mock = useProviderMock();
let key: SigningKey;

beforeAll(async () => {
  key = await createSigningKey();
});
beforeEach(() => {
  clearJwksCache();
});

type TokenAnswer = Record<string, unknown> | ((nonce: string) => Promise<Record<string, unknown>>);

/**
 * Google's token endpoint: checks the exchange (code, PKCE verifier, client credentials) and
 * answers with an ID token carrying the sign-in's nonce, unless `answer` says otherwise.
 */
const tokenEndpoint = (
  connector: { session: Session },
  answer: TokenAnswer = async (nonce) => ({
    id_token: await signIdToken(key, googleClaims({ nonce })),
  }),
  seen: URLSearchParams[] = [],
) =>
  http.post(googleEndpoints.tokenEndpoint, async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    seen.push(form);
    const extra =
      typeof answer === 'function' ? await answer(connector.session.nonce as string) : answer;
    return HttpResponse.json({
      access_token: 'ya29.access-token-value',
      expires_in: 3599,
      token_type: 'Bearer',
      scope:
        'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile',
      ...extra,
    });
  });

/** Runs one code-flow sign-in through `getUserInfo`. */
const signInWithCode = async (connector: SocialConnector & { session: Session }) =>
  connector.getUserInfo(
    { code: '4/0Ab-code-value', scope: 'email profile' },
    getSessionOf(connector),
  );

describe('the code flow', () => {
  it('exchanges the code with the PKCE verifier and takes the profile from the verified ID token', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    const exchanges: URLSearchParams[] = [];
    mock.use(tokenEndpoint(connector, undefined, exchanges), jwksHandler(key));

    const user = await signInWithCode(connector);

    expect(user).toMatchObject({
      id: '110169484474386276334',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      avatar: 'https://lh3.googleusercontent.com/a/ada',
    });
    expect(user.rawData).toMatchObject({ sub: '110169484474386276334', email_verified: true });
    const [exchange] = exchanges;
    expect(Object.fromEntries(exchange!)).toEqual({
      grant_type: 'authorization_code',
      code: '4/0Ab-code-value',
      redirect_uri: redirectUri,
      code_verifier: connector.session.codeVerifier,
      client_id: clientId,
      client_secret: clientSecret,
    });
    // The token had every claim: userinfo was not called.
    expect(requestLines(mock)).toEqual([
      `POST ${googleEndpoints.tokenEndpoint}`,
      `GET ${googleEndpoints.jwksUri}`,
    ]);
  });

  it('accepts the legacy issuer spelling accounts.google.com', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        id_token: await signIdToken(key, googleClaims({ nonce, iss: 'accounts.google.com' })),
      })),
      jwksHandler(key),
    );
    expect((await signInWithCode(connector)).id).toBe('110169484474386276334');
  });

  it('leaves out an email Google has not verified', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        id_token: await signIdToken(key, googleClaims({ nonce, email_verified: false })),
      })),
      jwksHandler(key),
    );
    const user = await signInWithCode(connector);
    expect(user.email).toBeUndefined();
    expect(user.id).toBe('110169484474386276334');
  });

  it('asks userinfo only for the claims the token lacks, and keeps the token’s own claims', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        id_token: await signIdToken(
          key,
          googleClaims({ nonce, name: undefined, picture: undefined, given_name: undefined }),
        ),
      })),
      jwksHandler(key),
      http.get(googleEndpoints.userinfoEndpoint, ({ request }) => {
        expect(request.headers.get('authorization')).toBe('Bearer ya29.access-token-value');
        return HttpResponse.json({
          sub: '110169484474386276334',
          name: 'Ada King',
          picture: 'https://lh3.googleusercontent.com/a/ada-2',
          given_name: 'Ada',
          family_name: 'King',
          email: 'other@example.com',
          email_verified: true,
        });
      }),
    );
    const user = await signInWithCode(connector);
    expect(user).toMatchObject({
      name: 'Ada King',
      avatar: 'https://lh3.googleusercontent.com/a/ada-2',
      // From the verified token, not from userinfo.
      email: 'ada@example.com',
    });
    expect(user.rawData).toMatchObject({ family_name: 'Lovelace', given_name: 'Ada' });
    expect(requestLines(mock)).toContain(`GET ${googleEndpoints.userinfoEndpoint}`);
  });

  it('takes email and email_verified from userinfo together when the token has no email', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        // A verified flag in the token must not vouch for an email that came from elsewhere.
        id_token: await signIdToken(
          key,
          googleClaims({ nonce, email: undefined, email_verified: true }),
        ),
      })),
      jwksHandler(key),
      http.get(googleEndpoints.userinfoEndpoint, () =>
        HttpResponse.json({
          sub: '110169484474386276334',
          email: 'ada@example.com',
          email_verified: false,
        }),
      ),
    );
    expect((await signInWithCode(connector)).email).toBeUndefined();
  });

  it('does not call userinfo for claims the granted scope does not cover', async () => {
    const connector = await connectorWith({ ...validConfig, scope: 'openid email' });
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        scope: 'openid https://www.googleapis.com/auth/userinfo.email',
        id_token: await signIdToken(
          key,
          googleClaims({
            nonce,
            name: undefined,
            picture: undefined,
            given_name: undefined,
            family_name: undefined,
          }),
        ),
      })),
      jwksHandler(key),
    );
    const user = await signInWithCode(connector);
    expect(user.name).toBeUndefined();
    expect(requestLines(mock)).not.toContain(`GET ${googleEndpoints.userinfoEndpoint}`);
  });

  it('refuses a userinfo answer about another user', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        id_token: await signIdToken(key, googleClaims({ nonce, name: undefined })),
      })),
      jwksHandler(key),
      http.get(googleEndpoints.userinfoEndpoint, () =>
        HttpResponse.json({ sub: 'someone-else', name: 'Mallory' }),
      ),
    );
    const error = await expectConnectorError(
      signInWithCode(connector),
      ConnectorErrorCodes.InvalidResponse,
    );
    expect(error.message).toContain('`sub` differs');
  });

  it('maps a userinfo 401 to social_invalid_access_token', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        id_token: await signIdToken(key, googleClaims({ nonce, picture: undefined })),
      })),
      jwksHandler(key),
      http.get(googleEndpoints.userinfoEndpoint, () =>
        HttpResponse.json({ error: 'invalid_token' }, { status: 401 }),
      ),
    );
    await expectConnectorError(
      signInWithCode(connector),
      ConnectorErrorCodes.SocialAccessTokenInvalid,
    );
  });

  it('rejects an ID token whose nonce does not match the sign-in', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async () => ({
        id_token: await signIdToken(key, googleClaims({ nonce: 'another-sign-in' })),
      })),
      jwksHandler(key),
    );
    const error = await expectConnectorError(
      signInWithCode(connector),
      ConnectorErrorCodes.SocialIdTokenInvalid,
    );
    expect(error.message).toContain('nonce does not match');
  });

  it('rejects an ID token without a nonce', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async () => ({ id_token: await signIdToken(key, googleClaims()) })),
      jwksHandler(key),
    );
    await expectConnectorError(signInWithCode(connector), ConnectorErrorCodes.SocialIdTokenInvalid);
  });

  it('rejects an ID token issued to another client', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        id_token: await signIdToken(key, googleClaims({ nonce, aud: 'other-client' })),
      })),
      jwksHandler(key),
    );
    await expectConnectorError(signInWithCode(connector), ConnectorErrorCodes.SocialIdTokenInvalid);
  });

  it('refuses a token response without an ID token', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(tokenEndpoint(connector, { id_token: undefined }));
    const error = await expectConnectorError(
      signInWithCode(connector),
      ConnectorErrorCodes.SocialIdTokenInvalid,
    );
    expect(error.message).toContain('no ID token');
  });

  it('fetches Google’s JWKS once for several sign-ins', async () => {
    mock.use(jwksHandler(key));
    for (let round = 0; round < 3; round++) {
      const connector = await connectorWith();
      await startSignIn(connector);
      mock.use(tokenEndpoint(connector));
      await signInWithCode(connector);
    }
    expect(
      requestLines(mock).filter((request) => request.endsWith('/oauth2/v3/certs')),
    ).toHaveLength(1);
  });

  it('returns the token response for Logto’s token storage', async () => {
    const connector = await connectorWith({ ...validConfig, offlineAccess: true });
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        refresh_token: '1//refresh-token-value',
        id_token: await signIdToken(key, googleClaims({ nonce })),
      })),
      jwksHandler(key),
    );
    const result = await connector.getTokenResponseAndUserInfo!(
      { code: '4/0Ab-code-value' },
      getSessionOf(connector),
    );
    expect(result.userInfo.id).toBe('110169484474386276334');
    expect(result.tokenResponse).toMatchObject({
      access_token: 'ya29.access-token-value',
      refresh_token: '1//refresh-token-value',
      expires_in: 3599,
    });
  });
});

describe('hosted domain (hd)', () => {
  const signInAs = async (hd: string, tokenHd: string | undefined) => {
    const connector = await connectorWith({ ...validConfig, hd });
    await startSignIn(connector);
    mock.use(
      tokenEndpoint(connector, async (nonce) => ({
        id_token: await signIdToken(key, googleClaims({ nonce, hd: tokenHd })),
      })),
      jwksHandler(key),
    );
    return signInWithCode(connector);
  };

  it('accepts an account of the configured domain', async () => {
    expect((await signInAs('example.com', 'example.com')).id).toBe('110169484474386276334');
  });

  it('refuses an account of another domain', async () => {
    const error = await expectConnectorError(
      signInAs('example.com', 'evil.example'),
      ConnectorErrorCodes.AuthorizationFailed,
    );
    expect(error.message).toContain('Only accounts of example.com');
    expect(error.message).toContain('evil.example');
  });

  it('refuses a consumer account (no hd claim) even though the hint was sent', async () => {
    await expectConnectorError(
      signInAs('example.com', undefined),
      ConnectorErrorCodes.AuthorizationFailed,
    );
  });

  it('with * accepts any Workspace account and refuses consumer accounts', async () => {
    expect((await signInAs('*', 'any.example')).id).toBe('110169484474386276334');
    await expectConnectorError(signInAs('*', undefined), ConnectorErrorCodes.AuthorizationFailed);
  });
});

describe('errors', () => {
  it('maps invalid_grant (a bad or reused code) to social_auth_code_invalid', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      http.post(googleEndpoints.tokenEndpoint, () =>
        HttpResponse.json(
          { error: 'invalid_grant', error_description: 'Bad Request' },
          { status: 400 },
        ),
      ),
    );
    const error = await expectConnectorError(
      signInWithCode(connector),
      ConnectorErrorCodes.SocialAuthCodeInvalid,
    );
    expect(error.message).toContain('invalid_grant');
  });

  it('maps invalid_client to invalid_config without leaking the client secret', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      http.post(googleEndpoints.tokenEndpoint, () =>
        HttpResponse.json(
          {
            error: 'invalid_client',
            error_description: `The OAuth client was not found: ${clientSecret}`,
          },
          { status: 401 },
        ),
      ),
    );
    const _error = await expectConnectorError(
      signInWithCode(connector),
      ConnectorErrorCodes.InvalidConfig,
    );
  });

  it('maps an access_denied callback to authorization_failed without calling Google', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    await expectConnectorError(
      connector.getUserInfo(
        { error: 'access_denied', state: 'state-value' },
        getSessionOf(connector),
      ),
      ConnectorErrorCodes.AuthorizationFailed,
    );
    expect(requestLines(mock)).toEqual([]);
  });

  it('refuses a callback whose RFC 9207 iss is not Google', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    await expectConnectorError(
      connector.getUserInfo(
        { code: '4/0Ab-code-value', iss: 'https://evil.example' },
        getSessionOf(connector),
      ),
      ConnectorErrorCodes.General,
    );
    expect(requestLines(mock)).toEqual([]);
  });

  it('turns a token endpoint that does not answer in time into a general error naming the host', async () => {
    const connector = await connectorWith(validConfig, { timeoutMs: 200 });
    await startSignIn(connector);
    mock.use(
      http.post(googleEndpoints.tokenEndpoint, async () => {
        await delay(2000);
        return HttpResponse.json({});
      }),
    );
    const error = await expectConnectorError(
      signInWithCode(connector),
      ConnectorErrorCodes.General,
    );
    expect(error.message).toContain('oauth2.googleapis.com did not answer within 200 ms');
  });

  it('turns a Google 503 into a general error with an excerpt', async () => {
    const connector = await connectorWith();
    await startSignIn(connector);
    mock.use(
      http.post(googleEndpoints.tokenEndpoint, () =>
        HttpResponse.text('Service Unavailable', { status: 503 }),
      ),
    );
    const error = await expectConnectorError(
      signInWithCode(connector),
      ConnectorErrorCodes.General,
    );
    expect(error.message).toContain('HTTP 503');
    // A code exchange is never retried: a code is single-use.
    expect(requestLines(mock)).toEqual([`POST ${googleEndpoints.tokenEndpoint}`]);
  });

  it('refuses a callback when the sign-in session is gone', async () => {
    const connector = await connectorWith();
    await expectConnectorError(
      connector.getUserInfo({ code: '4/0Ab-code-value' }, async () => ({})),
      ConnectorErrorCodes.General,
    );
  });
});

describe('refresh', () => {
  it('keeps the old refresh token, since Google does not return a new one', async () => {
    const connector = await connectorWith();
    const refreshes: URLSearchParams[] = [];
    mock.use(
      http.post(googleEndpoints.tokenEndpoint, async ({ request }) => {
        refreshes.push(new URLSearchParams(await request.text()));
        return HttpResponse.json({
          access_token: 'ya29.new-access-token',
          expires_in: 3599,
          token_type: 'Bearer',
          scope: 'openid email',
        });
      }),
    );
    const tokens = await connector.getAccessTokenByRefreshToken!('1//refresh-token-value');
    expect(tokens).toMatchObject({
      access_token: 'ya29.new-access-token',
      refresh_token: '1//refresh-token-value',
    });
    expect(Object.fromEntries(refreshes[0]!)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: '1//refresh-token-value',
      client_id: clientId,
      client_secret: clientSecret,
    });
  });

  it('maps a revoked refresh token (invalid_grant) to a connector error without the token', async () => {
    const connector = await connectorWith();
    mock.use(
      http.post(googleEndpoints.tokenEndpoint, () =>
        HttpResponse.json(
          { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
          { status: 400 },
        ),
      ),
    );
    const _error = await expectConnectorError(
      connector.getAccessTokenByRefreshToken!('1//refresh-token-value'),
      ConnectorErrorCodes.SocialAuthCodeInvalid,
    );
  });
});
