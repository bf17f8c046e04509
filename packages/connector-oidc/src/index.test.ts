import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import { expectConnectorError, startSocialSignIn, useProviderMock } from '@idplug/testing';
import { ConnectorErrorCodes, type SocialConnector } from '@logto/connector-kit';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { delay, HttpResponse, http } from 'msw';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import createOidcConnector from './index';

const issuer = 'https://op.example.com';
const endpoints = {
  authorizationEndpoint: `${issuer}/oauth/authorize`,
  tokenEndpoint: `${issuer}/oauth/token`,
  userInfoEndpoint: `${issuer}/oauth/userinfo`,
  jwksUri: `${issuer}/oauth/jwks`,
};
const clientId = 'oidc-client';
const clientSecret = 'oidc-client-secret-value';
const redirectUri = 'https://logto.example.com/callback/oidc';
const accessToken = 'oidc-access-token-123';
const refreshToken = 'oidc-refresh-token-456';

/** A config exactly as `@logto/connector-oidc`'s console stores it (no issuer anywhere). */
const officialConfig = {
  authorizationEndpoint: endpoints.authorizationEndpoint,
  tokenEndpoint: endpoints.tokenEndpoint,
  clientId,
  clientSecret,
  tokenEndpointAuthMethod: 'client_secret_post',
  clientSecretJwtSigningAlgorithm: 'HS256',
  scope: 'profile email phone',
  acceptStringTypedBooleanClaims: false,
  trustUnverifiedEmail: false,
  idTokenVerificationConfig: { jwksUri: endpoints.jwksUri },
  authRequestOptionalConfig: {},
  customConfig: {},
};
/** The same provider, configured the strict way. */
const staticConfig = {
  ...officialConfig,
  idTokenVerificationConfig: { jwksUri: endpoints.jwksUri, issuer },
};
const discoveryConfig = { issuer, clientId, clientSecret };

/** Logto's claim set, as another Logto would release it. */
const logtoClaims = {
  sub: 'user-1',
  name: null,
  username: 'alice',
  picture: 'https://example.com/alice.png',
  email: 'alice@example.com',
  email_verified: true,
  phone_number: '+15555550100',
  phone_number_verified: true,
};

type SigningKey = {
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
  kid: string;
};
const makeKey = async (kid: string): Promise<SigningKey> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256' }, kid };
};

let currentKey: SigningKey;
let publishedKeys: SigningKey[];
let idTokenClaims: (nonce: string | undefined) => JWTPayload;
let signIdToken: (claims: JWTPayload) => Promise<string>;
/** The nonce of the last authorization request, as the provider would remember it. */
let lastNonce: string | undefined;

const sign = (claims: JWTPayload, key = currentKey) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);

const standardClaims = (nonce: string | undefined): JWTPayload => {
  const now = Math.floor(Date.now() / 1000);
  return { ...logtoClaims, iss: issuer, aud: clientId, iat: now, exp: now + 600, nonce };
};

const tokenHandler = http.post(endpoints.tokenEndpoint, async ({ request }) => {
  const form = new URLSearchParams(await request.text());
  if (form.get('grant_type') === 'refresh_token') {
    return HttpResponse.json({ access_token: 'refreshed', token_type: 'Bearer', expires_in: 60 });
  }
  if (form.get('code') !== 'good-code') {
    return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
  }
  return HttpResponse.json({
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: '3600',
    refresh_token: refreshToken,
    id_token: await signIdToken(idTokenClaims(lastNonce)),
  });
});
const jwksHandler = http.get(endpoints.jwksUri, () =>
  HttpResponse.json({ keys: publishedKeys.map((key) => key.publicJwk) }),
);
const discoveryDocument = () => ({
  issuer,
  authorization_endpoint: endpoints.authorizationEndpoint,
  token_endpoint: endpoints.tokenEndpoint,
  userinfo_endpoint: endpoints.userInfoEndpoint,
  jwks_uri: endpoints.jwksUri,
  code_challenge_methods_supported: ['S256'],
});
const discoveryHandler = http.get(`${issuer}/.well-known/openid-configuration`, () =>
  HttpResponse.json(discoveryDocument()),
);
const userInfoHandler = http.get(endpoints.userInfoEndpoint, ({ request }) =>
  request.headers.get('authorization') === `Bearer ${accessToken}`
    ? HttpResponse.json({ sub: 'user-1', name: 'Alice from userinfo' })
    : new HttpResponse(null, { status: 401 }),
);

const mock = useProviderMock(tokenHandler, jwksHandler, discoveryHandler, userInfoHandler);

beforeAll(async () => {
  currentKey = await makeKey('key-1');
});
beforeEach(() => {
  clearJwksCache();
  clearDiscoveryCache();
  publishedKeys = [currentKey];
  idTokenClaims = standardClaims;
  signIdToken = (claims) => sign(claims);
  lastNonce = undefined;
});
afterEach(() => {
  vi.useRealTimers();
});

const load = async (config: Record<string, unknown>) =>
  (await createOidcConnector({ getConfig: async () => config })) as SocialConnector;

const authorize = async (connector: SocialConnector, scope?: string) => {
  const { url, session } = await startSocialSignIn(connector, { redirectUri, scope });
  lastNonce = url.searchParams.get('nonce') ?? undefined;
  return { url, session };
};

const signIn = async (
  config: Record<string, unknown> = staticConfig,
  callback: Record<string, string> = { code: 'good-code', state: 'state-1' },
) => {
  const connector = await load(config);
  const { session } = await authorize(connector);
  return connector.getUserInfo(callback, session.getSession);
};

/** Nothing any error of these tests shows may hold one of these (checked by `expectConnectorError`). */
const secrets = [clientSecret, accessToken, refreshToken];

const requestLines = () => mock.requests.map((request) => `${request.method} ${request.url}`);

describe('authorization request', () => {
  it('sends a nonce, PKCE S256 and a scope with openid, keeping both in the session', async () => {
    const { url, session } = await authorize(await load(officialConfig));
    expect(url.origin + url.pathname).toBe(endpoints.authorizationEndpoint);
    expect(url.searchParams.get('scope')).toBe('profile email phone openid');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('nonce')).toBe(session.current.nonce);
    expect(session.current.codeVerifier).toEqual(expect.any(String));
    expect(url.searchParams.get('state')).toBe('state-1');
  });

  it('adds openid to a scope asked for by the sign-in request', async () => {
    const { url } = await authorize(await load(officialConfig), 'email');
    expect(url.searchParams.get('scope')).toBe('email openid');
  });

  it('passes prompt, max_age, ui_locales, login_hint and acr_values through', async () => {
    const { url } = await authorize(
      await load({
        ...officialConfig,
        authRequestOptionalConfig: {
          prompt: 'login consent',
          maxAge: '300',
          uiLocales: 'fr en',
          loginHint: 'alice@example.com',
          acrValues: 'urn:mace:incommon:iap:silver',
        },
        customConfig: { resource: 'https://api.example.com' },
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      prompt: 'login consent',
      max_age: '300',
      ui_locales: 'fr en',
      login_hint: 'alice@example.com',
      acr_values: 'urn:mace:incommon:iap:silver',
      resource: 'https://api.example.com',
    });
  });

  it('never lets extras override the nonce, state or redirect_uri', async () => {
    const { url, session } = await authorize(
      await load({
        ...officialConfig,
        customConfig: { nonce: 'fixed', state: 'evil' },
        authorizationParameters: { redirect_uri: 'https://evil.example', code_challenge: 'x' },
      }),
    );
    expect(url.searchParams.get('nonce')).toBe(session.current.nonce);
    expect(url.searchParams.get('nonce')).not.toBe('fixed');
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(url.searchParams.get('code_challenge')).not.toBe('x');
  });

  it('discovers the endpoints from the issuer alone', async () => {
    const { url } = await authorize(await load(discoveryConfig));
    expect(url.origin + url.pathname).toBe(endpoints.authorizationEndpoint);
    expect(url.searchParams.get('scope')).toBe('openid profile email');
  });

  it('lets explicit endpoints win over discovered ones', async () => {
    const { url } = await authorize(
      await load({ ...discoveryConfig, authorizationEndpoint: 'https://login.example.com/auth' }),
    );
    expect(url.origin + url.pathname).toBe('https://login.example.com/auth');
  });
});

describe('sign-in', () => {
  it('signs in with an official config unchanged, mapping Logto’s claims', async () => {
    const user = await signIn(officialConfig);
    expect(user).toMatchObject({
      id: 'user-1',
      name: 'alice',
      avatar: 'https://example.com/alice.png',
      email: 'alice@example.com',
      phone: '+15555550100',
    });
    expect(user.rawData).toMatchObject({ sub: 'user-1', username: 'alice' });
  });

  it('accepts the official guard’s verification options (currentDate, clockTolerance, audience)', async () => {
    const user = await signIn({
      ...officialConfig,
      idTokenVerificationConfig: {
        jwksUri: endpoints.jwksUri,
        issuer: [issuer, 'https://other.example.com'],
        audience: 'ignored',
        algorithms: ['RS256'],
        clockTolerance: '30s',
        currentDate: '2020-01-01T00:00:00.000Z',
        maxTokenAge: 3600,
      },
    });
    expect(user.id).toBe('user-1');
  });

  it('signs in through discovery, merging the discovered userinfo claims', async () => {
    const user = await signIn(discoveryConfig);
    expect(user.name).toBe('Alice from userinfo');
    expect(requestLines()).toEqual([
      `GET ${issuer}/.well-known/openid-configuration`,
      `POST ${endpoints.tokenEndpoint}`,
      `GET ${endpoints.jwksUri}`,
      `GET ${endpoints.userInfoEndpoint}`,
    ]);
  });

  it('refuses userinfo claims about another subject', async () => {
    mock.use(http.get(endpoints.userInfoEndpoint, () => HttpResponse.json({ sub: 'mallory' })));
    await expectConnectorError(
      signIn({ ...staticConfig, userInfoEndpoint: endpoints.userInfoEndpoint }),
      { code: ConnectorErrorCodes.InvalidResponse, secrets },
    );
  });

  it('skips userinfo when fetchUserInfo is off', async () => {
    const user = await signIn({ ...discoveryConfig, fetchUserInfo: false });
    expect(user.name).toBe('alice');
    expect(requestLines()).not.toContain(`GET ${endpoints.userInfoEndpoint}`);
  });

  it('calls the configured userinfo endpoint by POST when asked', async () => {
    mock.use(
      http.post(endpoints.userInfoEndpoint, () =>
        HttpResponse.json({ sub: 'user-1', name: 'Posted' }),
      ),
    );
    const user = await signIn({
      ...staticConfig,
      userInfoEndpoint: endpoints.userInfoEndpoint,
      userInfoEndpointMethod: 'POST',
    });
    expect(user.name).toBe('Posted');
  });

  it('keeps an unverified email out unless unverified emails are trusted', async () => {
    idTokenClaims = (nonce) => ({ ...standardClaims(nonce), email_verified: false });
    expect(await signIn()).not.toHaveProperty('email');
    expect((await signIn({ ...staticConfig, trustUnverifiedEmail: true })).email).toBe(
      'alice@example.com',
    );
  });

  it('reads string booleans only when acceptStringTypedBooleanClaims is on', async () => {
    idTokenClaims = (nonce) => ({
      ...standardClaims(nonce),
      email_verified: 'true',
      phone_number_verified: 'true',
    });
    const strict = await signIn();
    expect(strict).not.toHaveProperty('email');
    expect(strict).not.toHaveProperty('phone');
    const lenient = await signIn({ ...staticConfig, acceptStringTypedBooleanClaims: true });
    expect(lenient).toMatchObject({ email: 'alice@example.com', phone: '+15555550100' });
  });

  it('keeps accepting the legacy phone / phone_verified claims', async () => {
    idTokenClaims = (nonce) => ({
      sub: 'user-1',
      iss: issuer,
      aud: clientId,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 60,
      nonce,
      phone: '+4930123',
      phone_verified: true,
    });
    expect((await signIn()).phone).toBe('+4930123');
  });

  it('returns the token response for token storage', async () => {
    const connector = await load(staticConfig);
    const { session } = await authorize(connector);
    const { tokenResponse } = await connector.getTokenResponseAndUserInfo!(
      { code: 'good-code' },
      session.getSession,
    );
    expect(tokenResponse).toMatchObject({
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: 3600,
      id_token: expect.any(String),
    });
  });

  it('accepts a matching RFC 9207 iss in the callback and refuses another', async () => {
    expect((await signIn(staticConfig, { code: 'good-code', iss: issuer })).id).toBe('user-1');
    mock.requests.length = 0;
    const error = await expectConnectorError(
      signIn(staticConfig, { code: 'good-code', iss: 'https://evil.example.com' }),
      { code: 'general', secrets },
    );
    expect(error.message).toContain('RFC 9207');
    expect(requestLines()).not.toContain(`POST ${endpoints.tokenEndpoint}`);
  });
});

describe('ID token validation', () => {
  const rejects = async (config: Record<string, unknown> = staticConfig) => {
    const error = await expectConnectorError(signIn(config), {
      code: ConnectorErrorCodes.SocialIdTokenInvalid,
      secrets,
    });
    return error;
  };

  it('rejects a token whose nonce does not match the session’s', async () => {
    const connector = await load(staticConfig);
    const { session } = await authorize(connector);
    const error = await expectConnectorError(
      connector.getUserInfo({ code: 'good-code' }, async () => ({
        ...session.current,
        nonce: 'tampered',
      })),
      { code: ConnectorErrorCodes.SocialIdTokenInvalid, secrets },
    );
    expect(error.message).toContain('nonce');
  });

  it('requires the nonce even when the token carries none', async () => {
    idTokenClaims = (nonce) => ({ ...standardClaims(nonce), nonce: undefined });
    expect((await rejects()).message).toContain('no nonce');
  });

  it('rejects a sign-in whose session lost its nonce', async () => {
    const connector = await load(staticConfig);
    const { session } = await authorize(connector);
    const { nonce: _dropped, ...withoutNonce } = session.current;
    await expectConnectorError(
      connector.getUserInfo({ code: 'good-code' }, async () => withoutNonce),
      { code: ConnectorErrorCodes.SocialIdTokenInvalid, secrets },
    );
  });

  it('rejects a token from another issuer', async () => {
    idTokenClaims = (nonce) => ({ ...standardClaims(nonce), iss: 'https://evil.example.com' });
    expect((await rejects()).message).toContain('iss');
  });

  it('rejects a token without iss even when no issuer is configured', async () => {
    idTokenClaims = (nonce) => ({ ...standardClaims(nonce), iss: undefined });
    await rejects(officialConfig);
  });

  it('rejects a token for another client', async () => {
    idTokenClaims = (nonce) => ({ ...standardClaims(nonce), aud: 'other-client' });
    expect((await rejects()).message).toContain('aud');
  });

  it('rejects several audiences whose azp is not this client', async () => {
    idTokenClaims = (nonce) => ({
      ...standardClaims(nonce),
      aud: [clientId, 'other'],
      azp: 'other',
    });
    expect((await rejects()).message).toContain('azp');
  });

  it('rejects an expired token', async () => {
    idTokenClaims = (nonce) => ({
      ...standardClaims(nonce),
      iat: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect((await rejects()).message).toContain('expired');
  });

  it('reads the clock at every sign-in, not at process start', async () => {
    const connector = await load(staticConfig);
    await signIn();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3600_000);
    // Tokens issued now are valid now...
    expect((await signIn()).id).toBe('user-1');
    // ...and one issued two hours "ago" is not.
    idTokenClaims = (nonce) => ({
      ...standardClaims(nonce),
      iat: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 6600,
    });
    const { session } = await authorize(connector);
    await expectConnectorError(connector.getUserInfo({ code: 'good-code' }, session.getSession), {
      code: ConnectorErrorCodes.SocialIdTokenInvalid,
      secrets,
    });
  });

  it('rejects a token issued in the future', async () => {
    idTokenClaims = (nonce) => ({
      ...standardClaims(nonce),
      iat: Math.floor(Date.now() / 1000) + 3600,
      exp: Math.floor(Date.now() / 1000) + 7200,
    });
    await rejects();
  });

  it('rejects an unsigned (alg: none) token', async () => {
    signIdToken = async (claims) => new UnsecuredJWT(claims).encode();
    await rejects();
  });

  it('rejects a token HMAC-signed with the public key', async () => {
    signIdToken = async (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: currentKey.kid })
        .sign(new TextEncoder().encode(JSON.stringify(currentKey.publicJwk)));
    await rejects();
  });

  it('rejects a token signed by a key the provider does not publish', async () => {
    const stranger = await makeKey('key-1');
    signIdToken = (claims) => sign(claims, stranger);
    expect((await rejects()).message).toContain('signature');
  });

  it('rejects a token signed with an algorithm the config does not allow', async () => {
    const error = await rejects({
      ...staticConfig,
      idTokenVerificationConfig: {
        ...staticConfig.idTokenVerificationConfig,
        algorithms: ['ES256'],
      },
    });
    expect(error.message).toContain('algorithm');
  });

  it('checks auth_time when max_age was sent', async () => {
    const config = { ...staticConfig, authRequestOptionalConfig: { maxAge: '60' } };
    expect((await rejects(config)).message).toContain('auth_time');
    idTokenClaims = (nonce) => ({
      ...standardClaims(nonce),
      auth_time: Math.floor(Date.now() / 1000) - 10,
    });
    expect((await signIn(config)).id).toBe('user-1');
  });

  it('reports a missing id_token as social_invalid_id_token', async () => {
    mock.use(
      http.post(endpoints.tokenEndpoint, () =>
        HttpResponse.json({ access_token: accessToken, token_type: 'Bearer' }),
      ),
    );
    expect((await rejects()).message).toContain('id_token');
  });
});

describe('signing keys', () => {
  it('refetches the JWKS once when the provider rotates to an unknown kid, after the cooldown', async () => {
    await signIn();
    const rotated = await makeKey('key-2');
    currentKey = rotated;
    publishedKeys = [rotated];
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    mock.requests.length = 0;
    expect((await signIn()).id).toBe('user-1');
    expect(requestLines()).toEqual([`POST ${endpoints.tokenEndpoint}`, `GET ${endpoints.jwksUri}`]);
  });

  it('does not refetch the JWKS for unknown kids within the cooldown', async () => {
    await signIn();
    const stranger = await makeKey('random-kid');
    signIdToken = (claims) => sign(claims, stranger);
    mock.requests.length = 0;
    await expectConnectorError(signIn(), { code: 'social_invalid_id_token', secrets });
    await expectConnectorError(signIn(), { code: 'social_invalid_id_token', secrets });
    expect(requestLines().filter((line) => line.includes('/jwks'))).toEqual([]);
  });

  it('reports an unreachable JWKS as general, not as a bad token', async () => {
    mock.use(http.get(endpoints.jwksUri, () => new HttpResponse('down', { status: 503 })));
    await expectConnectorError(signIn(), {
      code: ConnectorErrorCodes.General,
      secrets,
    });
  });
});

describe('warm process', () => {
  it('makes exactly one request (the token request) for a warm sign-in without userinfo', async () => {
    await signIn(staticConfig);
    mock.requests.length = 0;
    expect((await signIn(staticConfig)).id).toBe('user-1');
    expect(requestLines()).toEqual([`POST ${endpoints.tokenEndpoint}`]);
  });

  it('does not refetch discovery or JWKS on a warm discovery sign-in', async () => {
    const config = { ...discoveryConfig, fetchUserInfo: false };
    await signIn(config);
    mock.requests.length = 0;
    await signIn(config);
    expect(requestLines()).toEqual([`POST ${endpoints.tokenEndpoint}`]);
  });
});

describe('discovery', () => {
  it('refuses a discovery document naming another issuer', async () => {
    mock.use(
      http.get(`${issuer}/.well-known/openid-configuration`, () =>
        HttpResponse.json({ ...discoveryDocument(), issuer: 'https://evil.example.com' }),
      ),
    );
    const error = await expectConnectorError(authorize(await load(discoveryConfig)), {
      code: ConnectorErrorCodes.InvalidConfig,
      secrets,
    });
    expect(error.message).toContain('evil.example.com');
  });

  it('reports an unusable discovery document as invalid_response', async () => {
    mock.use(
      http.get(`${issuer}/.well-known/openid-configuration`, () => HttpResponse.json({ issuer })),
    );
    await expectConnectorError(authorize(await load(discoveryConfig)), {
      code: ConnectorErrorCodes.InvalidResponse,
      secrets,
    });
  });
});

describe('refresh', () => {
  it('refreshes without an id_token and keeps the refresh token', async () => {
    const connector = await load(discoveryConfig);
    const tokens = await connector.getAccessTokenByRefreshToken!(refreshToken);
    expect(tokens).toMatchObject({ access_token: 'refreshed', refresh_token: refreshToken });
  });
});

describe('errors', () => {
  it('reports a bad or reused code as social_auth_code_invalid', async () => {
    await expectConnectorError(signIn(staticConfig, { code: 'used' }), {
      code: ConnectorErrorCodes.SocialAuthCodeInvalid,
      secrets,
    });
  });

  it('reports invalid_client as invalid_config', async () => {
    mock.use(
      http.post(endpoints.tokenEndpoint, () =>
        HttpResponse.json({ error: 'invalid_client' }, { status: 401 }),
      ),
    );
    await expectConnectorError(signIn(), { code: ConnectorErrorCodes.InvalidConfig, secrets });
  });

  it('reports access_denied as authorization_failed', async () => {
    await expectConnectorError(signIn(staticConfig, { error: 'access_denied' }), {
      code: ConnectorErrorCodes.AuthorizationFailed,
      secrets,
    });
  });

  it('reports other callback errors as general with their description', async () => {
    const error = await expectConnectorError(
      signIn(staticConfig, { error: 'login_required', error_description: 'No session' }),
      { code: ConnectorErrorCodes.General, secrets },
    );
    expect(error.message).toContain('No session');
  });

  it('reports a refused access token at userinfo as social_invalid_access_token', async () => {
    mock.use(http.get(endpoints.userInfoEndpoint, () => new HttpResponse(null, { status: 401 })));
    await expectConnectorError(signIn(discoveryConfig), {
      code: ConnectorErrorCodes.SocialAccessTokenInvalid,
      secrets,
    });
  });

  it('reports throttling as rate_limit_exceeded with the retry-after', async () => {
    mock.use(
      http.post(
        endpoints.tokenEndpoint,
        () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '12' } }),
      ),
    );
    const error = await expectConnectorError(signIn(), {
      code: ConnectorErrorCodes.RateLimitExceeded,
      secrets,
    });
    expect(error.data).toMatchObject({ retryAfter: 12 });
  });

  it('reports a timeout as general naming the host and the timeout', async () => {
    mock.use(
      http.post(endpoints.tokenEndpoint, async () => {
        await delay(2000);
        return HttpResponse.json({});
      }),
    );
    const error = await expectConnectorError(signIn({ ...staticConfig, timeout: 200 }), {
      code: ConnectorErrorCodes.General,
      secrets,
    });
    expect(error.message).toContain('op.example.com');
    expect(error.message).toContain('200 ms');
  });

  it('reports a malformed token response as invalid_response with an excerpt', async () => {
    mock.use(http.post(endpoints.tokenEndpoint, () => HttpResponse.html('<h1>Bad gateway</h1>')));
    const error = await expectConnectorError(signIn(), {
      code: ConnectorErrorCodes.InvalidResponse,
      secrets,
    });
    expect(error.message).toContain('Bad gateway');
  });

  it('explains a config with neither issuer nor endpoints', async () => {
    const error = await expectConnectorError(authorize(await load({ clientId, clientSecret })), {
      code: ConnectorErrorCodes.InvalidConfig,
      secrets,
    });
    expect(error.message).toContain('authorizationEndpoint');
    expect(error.message).toContain('idTokenVerificationConfig.jwksUri');
  });
});

describe('pkce and requested claims', () => {
  const withDiscovery = (methods: string[] | undefined) =>
    mock.use(
      http.get(`${issuer}/.well-known/openid-configuration`, () => {
        const { code_challenge_methods_supported: _, ...document } = discoveryDocument();
        return HttpResponse.json({
          ...document,
          ...(methods && { code_challenge_methods_supported: methods }),
        });
      }),
    );
  const challengeOf = async (config: Record<string, unknown>) => {
    const { url, session } = await authorize(await load(config));
    return {
      method: url.searchParams.get('code_challenge_method'),
      verifier: session.current.codeVerifier,
    };
  };

  it('auto: S256 when discovery lists it, or lists nothing, or there is no discovery', async () => {
    withDiscovery(['plain', 'S256']);
    expect(await challengeOf(discoveryConfig)).toMatchObject({ method: 'S256' });
    clearDiscoveryCache();
    withDiscovery(undefined);
    expect(await challengeOf({ ...discoveryConfig, pkce: 'auto' })).toMatchObject({
      method: 'S256',
    });
    expect(await challengeOf(officialConfig)).toMatchObject({ method: 'S256' });
  });

  it('auto: no challenge when discovery lists only other methods; always still sends S256', async () => {
    withDiscovery(['plain']);
    expect(await challengeOf(discoveryConfig)).toEqual({ method: null, verifier: undefined });
    expect(await challengeOf({ ...discoveryConfig, pkce: 'always' })).toMatchObject({
      method: 'S256',
    });
    expect(await challengeOf({ ...discoveryConfig, pkce: true })).toMatchObject({
      method: 'S256',
    });
  });

  it('never (or false) sends no challenge and keeps no verifier', async () => {
    for (const pkce of ['never', false]) {
      expect(await challengeOf({ ...discoveryConfig, pkce })).toEqual({
        method: null,
        verifier: undefined,
      });
    }
  });

  it('refuses another pkce value as invalid_config', async () => {
    await expectConnectorError(authorize(await load({ ...officialConfig, pkce: 'sometimes' })), {
      code: ConnectorErrorCodes.InvalidConfig,
      secrets,
    });
  });

  it('sends requestedClaims as the claims parameter (OIDC Core 5.5), as an object or its JSON', async () => {
    const requested = {
      id_token: { email: null, acr: { essential: true, values: ['urn:example:silver'] } },
      userinfo: { upn: null },
    };
    for (const requestedClaims of [requested, JSON.stringify(requested)]) {
      const { url } = await authorize(await load({ ...officialConfig, requestedClaims }));
      expect(JSON.parse(url.searchParams.get('claims') ?? '')).toEqual(requested);
    }
    const { url } = await authorize(await load(officialConfig));
    expect(url.searchParams.has('claims')).toBe(false);
  });

  it('refuses requestedClaims that are not a claims request as invalid_config', async () => {
    for (const requestedClaims of [
      '{not json',
      { access_token: { email: null } },
      { id_token: { email: { essential: 'yes' } } },
      { id_token: { email: { value: { nested: { deeper: true } } } } },
      {
        id_token: Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`c${index}`, null])),
      },
    ]) {
      const error = await expectConnectorError(
        authorize(await load({ ...officialConfig, requestedClaims })),
        { code: ConnectorErrorCodes.InvalidConfig, secrets },
      );
      expect(error.message).toContain('requestedClaims');
    }
  });
});

describe('profileMap', () => {
  it('reads the email from fallback paths, verified by a mapped "true" string', async () => {
    idTokenClaims = (nonce) => {
      const { email: _, email_verified: __, ...claims } = standardClaims(nonce);
      return { ...claims, upn: 'ada@contoso.example', verified: 'true' };
    };
    const user = await signIn({
      ...staticConfig,
      profileMap: { email: ['email', 'preferred_username', 'upn'], emailVerified: 'verified' },
    });
    expect(user).toMatchObject({ id: 'user-1', email: 'ada@contoso.example' });
  });

  it('keeps OIDC’s own email_verified for a mapped email: a string counts only when accepted', async () => {
    idTokenClaims = (nonce) => {
      const { email: _, ...claims } = standardClaims(nonce);
      return { ...claims, upn: 'ada@contoso.example', email_verified: 'true' };
    };
    const config = { ...staticConfig, profileMap: { email: 'upn' } };
    expect((await signIn(config)).email).toBeUndefined();
    expect((await signIn({ ...config, acceptStringTypedBooleanClaims: true })).email).toBe(
      'ada@contoso.example',
    );
    expect((await signIn({ ...config, trustUnverifiedEmail: true })).email).toBe(
      'ada@contoso.example',
    );
  });

  it('leaves unmapped fields as without a map, and names a missing mapped id', async () => {
    const user = await signIn({ ...staticConfig, profileMap: { name: 'username' } });
    expect(user).toMatchObject({
      id: 'user-1',
      name: 'alice',
      email: 'alice@example.com',
      avatar: 'https://example.com/alice.png',
    });
    const error = await expectConnectorError(
      signIn({ ...staticConfig, profileMap: { id: 'oid' } }),
      { code: ConnectorErrorCodes.InvalidResponse, secrets },
    );
    expect(error.message).toContain('`oid`');
  });

  it('refuses a hostile profileMap as invalid_config before any request', async () => {
    for (const profileMap of [
      { id: '__proto__.polluted' },
      { email: ['email', 'a.constructor.name'] },
      { name: 'prototype' },
      { email: Array.from({ length: 10_000 }, (_, index) => `email${index}`) },
      { avatar: JSON.parse(`${'{"a":'.repeat(5000)}"x"${'}'.repeat(5000)}`) },
      { phone: `${'a.'.repeat(150)}b` },
    ]) {
      const error = await expectConnectorError(
        authorize(await load({ ...staticConfig, profileMap })),
        { code: ConnectorErrorCodes.InvalidConfig, secrets },
      );
      expect(error.message).toContain('profileMap');
    }
    expect(mock.requests).toEqual([]);
  });
});
