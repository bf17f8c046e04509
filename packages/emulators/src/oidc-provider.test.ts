import { createHash, randomBytes } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeWithBrowser,
  createOAuthBrowser,
  type OidcEmulator,
  type OidcEmulatorClient,
  startOidcEmulator,
} from './oidc-provider';

const RedirectUri = 'http://127.0.0.1:9/callback';

const client = {
  clientId: 'test-client',
  clientSecret: 'test-client-secret-0123456789abcdef',
  redirectUris: [RedirectUri],
} satisfies OidcEmulatorClient;

const accounts = {
  'user-1': {
    name: 'Ada Lovelace',
    picture: 'https://example.com/ada.png',
    email: 'ada@example.com',
    email_verified: true,
    phone_number: '+15555550123',
    phone_number_verified: false,
    username: 'ada',
  },
};

type AuthorizationRequest = { url: string; state: string; nonce: string; codeVerifier: string };

const buildAuthorizationRequest = (
  emulator: OidcEmulator,
  {
    pkce = true,
    scope = 'openid profile email phone offline_access',
    clientId = client.clientId,
  } = {},
): AuthorizationRequest => {
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const codeVerifier = randomBytes(32).toString('base64url');
  const url = new URL(emulator.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: RedirectUri,
    scope,
    state,
    nonce,
  }).toString();
  if (pkce) {
    // RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))).
    url.searchParams.set(
      'code_challenge',
      createHash('sha256').update(codeVerifier).digest('base64url'),
    );
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return { url: url.href, state, nonce, codeVerifier };
};

const postToken = async (emulator: OidcEmulator, params: Record<string, string>) => {
  const response = await fetch(emulator.tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
};

const fetchJwks = async (emulator: OidcEmulator): Promise<JSONWebKeySet> => {
  return (await (await fetch(emulator.jwksUri)).json()) as JSONWebKeySet;
};

const signIn = async (emulator: OidcEmulator, request = buildAuthorizationRequest(emulator)) => {
  const callback = await authorizeWithBrowser(request.url, { accountId: 'user-1' });
  expect(callback.error).toBeUndefined();
  const tokens = await postToken(emulator, {
    grant_type: 'authorization_code',
    code: callback.code!,
    redirect_uri: RedirectUri,
    code_verifier: request.codeVerifier,
  });
  expect(tokens.status).toBe(200);
  return { callback, tokens: tokens.body, request };
};

describe('OIDC emulator', () => {
  let emulator: OidcEmulator;

  beforeAll(async () => {
    emulator = await startOidcEmulator({ clients: [client], accounts });
  });
  afterAll(() => emulator.stop());

  it('serves discovery for an http loopback issuer', async () => {
    expect(emulator.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(emulator.discoveryUrl);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: emulator.issuer,
      authorization_endpoint: emulator.authorizationEndpoint,
      token_endpoint: emulator.tokenEndpoint,
      userinfo_endpoint: emulator.userinfoEndpoint,
      jwks_uri: emulator.jwksUri,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(discovery.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'phone', 'offline_access']),
    );
  });

  it('signs in through login and consent, with a verifiable ID token, userinfo and refresh', async () => {
    const { callback, tokens, request } = await signIn(emulator);
    expect(callback).toMatchObject({ state: request.state, iss: emulator.issuer });
    expect(callback.url.startsWith(`${RedirectUri}?`)).toBe(true);
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      scope: expect.stringContaining('offline_access'),
    });

    const { payload } = await jwtVerify(
      tokens.id_token!,
      createLocalJWKSet(await fetchJwks(emulator)),
      {
        issuer: emulator.issuer,
        audience: client.clientId,
      },
    );
    expect(payload).toMatchObject({
      sub: 'user-1',
      nonce: request.nonce,
      name: 'Ada Lovelace',
      picture: 'https://example.com/ada.png',
      email: 'ada@example.com',
      email_verified: true,
      phone_number: '+15555550123',
      phone_number_verified: false,
      username: 'ada',
    });

    const userinfo = await fetch(emulator.userinfoEndpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await userinfo.json()).toEqual({ sub: 'user-1', ...accounts['user-1'] });

    const refreshed = await postToken(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
    expect(refreshed.body.access_token).not.toBe(tokens.access_token);
  });

  it('rejects a replayed authorization code with invalid_grant', async () => {
    const { callback, request } = await signIn(emulator);
    const replay = await postToken(emulator, {
      grant_type: 'authorization_code',
      code: callback.code!,
      redirect_uri: RedirectUri,
      code_verifier: request.codeVerifier,
    });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
  });

  it('rejects a code exchange whose code_verifier does not match', async () => {
    const request = buildAuthorizationRequest(emulator);
    const callback = await authorizeWithBrowser(request.url, { accountId: 'user-1' });
    const exchange = await postToken(emulator, {
      grant_type: 'authorization_code',
      code: callback.code!,
      redirect_uri: RedirectUri,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    expect(exchange.body.error).toBe('invalid_grant');
  });

  it('answers a denied authorization with access_denied at the callback', async () => {
    const request = buildAuthorizationRequest(emulator);
    const atLogin = await authorizeWithBrowser(request.url, { decision: 'deny' });
    expect(atLogin).toMatchObject({
      error: 'access_denied',
      state: request.state,
      iss: emulator.issuer,
    });
    expect(atLogin.code).toBeUndefined();

    // Denying at consent: the login is already done in this browser.
    const browser = createOAuthBrowser();
    await browser.authorize(buildAuthorizationRequest(emulator, { scope: 'openid' }).url, {
      accountId: 'user-1',
    });
    const atConsent = await browser.authorize(buildAuthorizationRequest(emulator).url, {
      decision: 'deny',
    });
    expect(atConsent.error).toBe('access_denied');
  });

  it('rejects an authorization request without PKCE', async () => {
    const request = buildAuthorizationRequest(emulator, { pkce: false });
    const callback = await authorizeWithBrowser(request.url, { accountId: 'user-1' });
    expect(callback).toMatchObject({ error: 'invalid_request', state: request.state });
    expect(callback.errorDescription).toMatch(/PKCE/);
  });

  it('keeps the SSO session in one browser: the second sign-in asks for nothing', async () => {
    // Without offline_access, which always shows the consent page (see strictOfflineAccess).
    const scope = 'openid profile email';
    const browser = createOAuthBrowser();
    await browser.authorize(buildAuthorizationRequest(emulator, { scope }).url, {
      accountId: 'user-1',
    });
    emulator.clearRequests();
    const second = await browser.authorize(buildAuthorizationRequest(emulator, { scope }).url);
    expect(second.code).toEqual(expect.any(String));
    expect(emulator.requests.filter((r) => r.path.startsWith('/interaction'))).toEqual([]);
  });

  it('renders a login page a person can use in a real browser', async () => {
    const authorization = await fetch(buildAuthorizationRequest(emulator).url, {
      redirect: 'manual',
    });
    const interactionUrl = new URL(authorization.headers.get('location')!, emulator.issuer);
    const cookies = authorization.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; ');
    const page = await fetch(interactionUrl, { headers: { cookie: cookies } });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-emulator-prompt')).toBe('login');
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="${interactionUrl.pathname}/login"`);
    expect(html).toContain('name="account_id" value="user-1"');
    expect(html).toContain('Ada Lovelace');
    expect(html).toContain(`action="${interactionUrl.pathname}/abort"`);
  });

  it('records requests by method and path, so a test can count round trips', async () => {
    const request = buildAuthorizationRequest(emulator);
    const callback = await authorizeWithBrowser(request.url, { accountId: 'user-1' });
    emulator.clearRequests();
    await postToken(emulator, {
      grant_type: 'authorization_code',
      code: callback.code!,
      redirect_uri: RedirectUri,
      code_verifier: request.codeVerifier,
    });
    expect(emulator.requests).toEqual([{ method: 'POST', path: '/token' }]);
  });

  it('signs forged ID tokens on request', async () => {
    const jwks = createLocalJWKSet(await fetchJwks(emulator));
    const valid = await emulator.signIdToken({ nonce: 'n-1' });
    const { payload } = await jwtVerify(valid, jwks, {
      issuer: emulator.issuer,
      audience: client.clientId,
    });
    expect(payload).toMatchObject({ sub: 'user-1', nonce: 'n-1' });

    const expired = await emulator.signIdToken({ exp: Math.floor(Date.now() / 1000) - 3600 });
    await expect(jwtVerify(expired, jwks)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });

    const unsecured = await emulator.signIdToken({}, { alg: 'none' });
    expect(decodeProtectedHeader(unsecured).alg).toBe('none');
    await expect(jwtVerify(unsecured, jwks)).rejects.toThrow();

    const forged = await emulator.signIdToken({}, { key: 'unpublished' });
    expect(decodeProtectedHeader(forged).kid).toBe(decodeProtectedHeader(valid).kid);
    await expect(jwtVerify(forged, jwks)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });

    const es256 = await emulator.signIdToken({}, { alg: 'ES256' });
    await expect(jwtVerify(es256, jwks)).resolves.toBeDefined();
  });

  it('rewrites the next token response only', async () => {
    const forged = await emulator.signIdToken({ aud: 'another-client' });
    emulator.rewriteNextTokenResponse(({ refresh_token: _dropped, ...body }) => ({
      ...body,
      id_token: forged,
    }));
    const first = await signIn(emulator);
    expect(first.tokens.id_token).toBe(forged);
    expect(first.tokens.refresh_token).toBeUndefined();
    const second = await signIn(emulator);
    expect(second.tokens.id_token).not.toBe(forged);
    expect(second.tokens.refresh_token).toEqual(expect.any(String));
  });
});

describe('OIDC emulator key rotation', () => {
  it('signs with a kid a previously fetched JWKS does not have, and stops publishing the old key', async () => {
    const emulator = await startOidcEmulator({ clients: [client], accounts });
    try {
      const before = await signIn(emulator);
      const cachedJwks = await fetchJwks(emulator);
      const oldKid = decodeProtectedHeader(before.tokens.id_token!).kid;
      expect(cachedJwks.keys.map((key) => key.kid)).toContain(oldKid);

      await emulator.rotateSigningKey();
      // The session and refresh token from before the rotation still work.
      const refreshed = await postToken(emulator, {
        grant_type: 'refresh_token',
        refresh_token: before.tokens.refresh_token!,
      });
      expect(refreshed.status).toBe(200);

      const after = await signIn(emulator);
      const newKid = decodeProtectedHeader(after.tokens.id_token!).kid;
      expect(newKid).not.toBe(oldKid);
      await expect(
        jwtVerify(after.tokens.id_token!, createLocalJWKSet(cachedJwks)),
      ).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });

      const freshJwks = await fetchJwks(emulator);
      expect(freshJwks.keys.map((key) => key.kid)).toEqual(emulator.publishedKeyIds());
      expect(freshJwks.keys.map((key) => key.kid)).toContain(newKid);
      expect(freshJwks.keys.map((key) => key.kid)).not.toContain(oldKid);
      await expect(
        jwtVerify(after.tokens.id_token!, createLocalJWKSet(freshJwks), {
          issuer: emulator.issuer,
        }),
      ).resolves.toBeDefined();
      // Public keys only.
      expect(freshJwks.keys.every((key) => key.d === undefined)).toBe(true);
    } finally {
      await emulator.stop();
    }
  });

  it('keeps publishing the previous key when asked', async () => {
    const emulator = await startOidcEmulator({ clients: [client], accounts });
    try {
      const before = await emulator.signIdToken();
      await emulator.rotateSigningKey({ keepPrevious: true });
      const after = await emulator.signIdToken();
      const jwks = createLocalJWKSet(await fetchJwks(emulator));
      await expect(jwtVerify(before, jwks)).resolves.toBeDefined();
      await expect(jwtVerify(after, jwks)).resolves.toBeDefined();
      expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    } finally {
      await emulator.stop();
    }
  });
});

describe('OIDC emulator client authentication', () => {
  const secret = 'shared-secret-of-at-least-32-characters';
  const clients: OidcEmulatorClient[] = [
    {
      clientId: 'post-client',
      clientSecret: secret,
      redirectUris: [RedirectUri],
      tokenEndpointAuthMethod: 'client_secret_post',
    },
    {
      clientId: 'jwt-secret-client',
      clientSecret: secret,
      redirectUris: [RedirectUri],
      tokenEndpointAuthMethod: 'client_secret_jwt',
    },
    { clientId: 'public-client', redirectUris: [RedirectUri] },
  ];
  let emulator: OidcEmulator;

  beforeAll(async () => {
    emulator = await startOidcEmulator({ clients, accounts });
  });
  afterAll(() => emulator.stop());

  const exchangeCode = async (clientId: string, clientAuthentication: Record<string, string>) => {
    const request = buildAuthorizationRequest(emulator, { clientId });
    const callback = await authorizeWithBrowser(request.url, { accountId: 'user-1' });
    const response = await fetch(emulator.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.code!,
        redirect_uri: RedirectUri,
        code_verifier: request.codeVerifier,
        ...clientAuthentication,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };

  it('accepts client_secret_post', async () => {
    const result = await exchangeCode('post-client', {
      client_id: 'post-client',
      client_secret: secret,
    });
    expect(result.status).toBe(200);
  });

  it('accepts client_secret_jwt (HS256 over the secret, RFC 7523 §2.2)', async () => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('jwt-secret-client')
      .setSubject('jwt-secret-client')
      .setAudience(emulator.tokenEndpoint)
      .setJti(randomBytes(8).toString('hex'))
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(secret));
    const result = await exchangeCode('jwt-secret-client', {
      client_id: 'jwt-secret-client',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    expect(result.status).toBe(200);
  });

  it('accepts a public client (none) that proves possession with PKCE only', async () => {
    const result = await exchangeCode('public-client', { client_id: 'public-client' });
    expect(result.status).toBe(200);
  });

  it('rejects a wrong secret with invalid_client', async () => {
    const result = await exchangeCode('post-client', {
      client_id: 'post-client',
      client_secret: 'wrong',
    });
    expect(result).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('rejects a method the client did not register', async () => {
    const result = await exchangeCode('post-client', { client_id: 'post-client' });
    expect(result).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('lets one client use every method listed in alsoAcceptedTokenEndpointAuthMethods', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const anyMethod = await startOidcEmulator({
      clients: [
        {
          clientId: 'any-method-client',
          clientSecret: secret,
          redirectUris: [RedirectUri],
          tokenEndpointAuthMethod: 'client_secret_basic',
          alsoAcceptedTokenEndpointAuthMethods: ['client_secret_jwt', 'private_key_jwt'],
          jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'client-key', alg: 'ES256' }] },
        },
      ],
      accounts,
    });
    const exchange = async (authentication: { body?: Record<string, string>; basic?: boolean }) => {
      const request = buildAuthorizationRequest(anyMethod, { clientId: 'any-method-client' });
      const callback = await authorizeWithBrowser(request.url, { accountId: 'user-1' });
      const response = await fetch(anyMethod.tokenEndpoint, {
        method: 'POST',
        headers: authentication.basic
          ? {
              authorization: `Basic ${Buffer.from(`any-method-client:${secret}`).toString('base64')}`,
            }
          : {},
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: callback.code!,
          redirect_uri: RedirectUri,
          code_verifier: request.codeVerifier,
          ...authentication.body,
        }),
      });
      return response.status;
    };
    const assertion = (alg: 'HS256' | 'ES256') =>
      new SignJWT({})
        .setProtectedHeader({ alg, ...(alg === 'ES256' && { kid: 'client-key' }) })
        .setIssuer('any-method-client')
        .setSubject('any-method-client')
        .setAudience(anyMethod.tokenEndpoint)
        .setJti(randomBytes(8).toString('hex'))
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(alg === 'HS256' ? new TextEncoder().encode(secret) : privateKey);
    const jwtBody = async (alg: 'HS256' | 'ES256') => ({
      client_id: 'any-method-client',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(alg),
    });
    try {
      expect(await exchange({ basic: true })).toBe(200);
      expect(
        await exchange({ body: { client_id: 'any-method-client', client_secret: secret } }),
      ).toBe(200);
      expect(await exchange({ body: await jwtBody('HS256') })).toBe(200);
      expect(await exchange({ body: await jwtBody('ES256') })).toBe(200);
      // `none` is not listed: still refused.
      expect(await exchange({ body: { client_id: 'any-method-client' } })).toBe(401);
    } finally {
      await anyMethod.stop();
    }
  });
});

describe('OIDC emulator options', () => {
  it('accepts requests without PKCE when requirePkce is false', async () => {
    const emulator = await startOidcEmulator({ clients: [client], accounts, requirePkce: false });
    try {
      const request = buildAuthorizationRequest(emulator, { pkce: false });
      const callback = await authorizeWithBrowser(request.url, { accountId: 'user-1' });
      const tokens = await postToken(emulator, {
        grant_type: 'authorization_code',
        code: callback.code!,
        redirect_uri: RedirectUri,
      });
      expect(tokens.status).toBe(200);
    } finally {
      await emulator.stop();
    }
  });

  it('keeps scope claims out of the ID token when scopeClaimsInIdToken is false', async () => {
    const emulator = await startOidcEmulator({
      clients: [client],
      accounts,
      scopeClaimsInIdToken: false,
    });
    try {
      const { tokens } = await signIn(emulator);
      const { payload } = await jwtVerify(
        tokens.id_token!,
        createLocalJWKSet(await fetchJwks(emulator)),
      );
      expect(payload.sub).toBe('user-1');
      expect(payload.email).toBeUndefined();
    } finally {
      await emulator.stop();
    }
  });

  it('issues refresh tokens without offline_access when refreshTokens is always', async () => {
    const emulator = await startOidcEmulator({
      clients: [client],
      accounts,
      refreshTokens: 'always',
    });
    try {
      const { tokens } = await signIn(
        emulator,
        buildAuthorizationRequest(emulator, { scope: 'openid profile' }),
      );
      expect(tokens.refresh_token).toEqual(expect.any(String));
    } finally {
      await emulator.stop();
    }
  });

  it('drops offline_access without prompt=consent when strictOfflineAccess is set', async () => {
    const emulator = await startOidcEmulator({
      clients: [client],
      accounts,
      strictOfflineAccess: true,
    });
    try {
      const { tokens } = await signIn(emulator);
      expect(tokens.scope).toBe('openid profile email phone');
      expect(tokens.refresh_token).toBeUndefined();
    } finally {
      await emulator.stop();
    }
  });

  it('authenticates a private_key_jwt client (RFC 7523) and signs its ID tokens with ES256', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const emulator = await startOidcEmulator({
      clients: [
        {
          clientId: 'jwt-client',
          redirectUris: client.redirectUris,
          jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'client-key', alg: 'ES256' }] },
          idTokenSigningAlg: 'ES256',
        },
      ],
      accounts,
    });
    try {
      const request = buildAuthorizationRequest(emulator, { clientId: 'jwt-client' });
      const callback = await authorizeWithBrowser(request.url, { accountId: 'user-1' });
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'client-key' })
        .setIssuer('jwt-client')
        .setSubject('jwt-client')
        .setAudience(emulator.issuer)
        .setJti(randomBytes(8).toString('hex'))
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(privateKey);
      const response = await fetch(emulator.tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: callback.code!,
          redirect_uri: RedirectUri,
          code_verifier: request.codeVerifier,
          client_id: 'jwt-client',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }),
      });
      const tokens = (await response.json()) as Record<string, string>;
      expect(response.status).toBe(200);
      expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    } finally {
      await emulator.stop();
    }
  });

  it('rejects invalid client metadata at start, naming the client', async () => {
    await expect(
      startOidcEmulator({ clients: [{ clientId: 'bad', redirectUris: ['not a url'] }] }),
    ).rejects.toThrow(/client "bad"/);
  });

  it('refuses an unknown account at login', async () => {
    const emulator = await startOidcEmulator({ clients: [client], accounts });
    try {
      const request = buildAuthorizationRequest(emulator);
      await expect(
        authorizeWithBrowser(request.url, { accountId: 'nobody' }),
      ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/Unknown account/) });
    } finally {
      await emulator.stop();
    }
  });
});
