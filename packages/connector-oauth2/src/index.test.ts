import {
  completeSocialSignIn,
  expectConnectorError,
  startSocialSignIn,
  useProviderMock,
} from '@idplug/testing';
import { ConnectorErrorCodes, type SocialConnector } from '@logto/connector-kit';
import { exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify } from 'jose';
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import createOAuth2Connector from './index';

const endpoints = {
  authorizationEndpoint: 'https://idp.example.com/oauth/authorize',
  tokenEndpoint: 'https://idp.example.com/oauth/token',
  userInfoEndpoint: 'https://api.idp.example.com/v1/me',
};
const clientSecret = 'oauth2-client-secret-value';
/** A config exactly as `@logto/connector-oauth`'s console stores it. */
const officialConfig = {
  ...endpoints,
  clientId: 'client-1',
  clientSecret,
  tokenEndpointAuthMethod: 'client_secret_post',
  clientSecretJwtSigningAlgorithm: 'HS256',
  tokenEndpointResponseType: 'query-string',
  scope: 'profile email',
  profileMap: { id: 'id', email: 'email', phone: 'phone', name: 'name', avatar: 'avatar' },
  customConfig: {},
};
const redirectUri = 'https://logto.example.com/callback/oauth2';
const accessToken = 'access-token-value-123';
const refreshToken = 'refresh-token-value-456';

type TokenRequest = { form: URLSearchParams; headers: Headers };
const tokenRequests: TokenRequest[] = [];

const tokenOk = http.post(endpoints.tokenEndpoint, async ({ request }) => {
  const form = new URLSearchParams(await request.text());
  tokenRequests.push({ form, headers: request.headers });
  if (form.get('grant_type') === 'refresh_token') {
    return HttpResponse.json({ access_token: 'new-access-token', expires_in: 3600 });
  }
  if (form.get('code') !== 'good-code') {
    return HttpResponse.json(
      { error: 'invalid_grant', error_description: 'The code has expired' },
      { status: 400 },
    );
  }
  return HttpResponse.json({
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: 3600,
    refresh_token: refreshToken,
  });
});
const profile = {
  id: 42,
  email: 'ada@example.com',
  phone: '+15550001',
  name: 'Ada',
  avatar: 'https://cdn.example.com/ada.png',
};
const userInfoOk = http.get(endpoints.userInfoEndpoint, ({ request }) =>
  request.headers.get('authorization') === `Bearer ${accessToken}`
    ? HttpResponse.json(profile)
    : new HttpResponse(null, { status: 401 }),
);

const mock = useProviderMock(tokenOk, userInfoOk);

const load = async (overrides: Record<string, unknown> = {}) =>
  (await createOAuth2Connector({
    getConfig: async () => ({ ...officialConfig, ...overrides }),
  })) as SocialConnector;

const authorize = (connector: SocialConnector, scope?: string) =>
  startSocialSignIn(connector, { redirectUri, scope });

const signIn = async (
  overrides: Record<string, unknown> = {},
  callback: Record<string, string> = { code: 'good-code', state: 'state-1' },
) => {
  tokenRequests.length = 0;
  return completeSocialSignIn(await load(overrides), callback, { redirectUri });
};

/** Nothing any error of these tests shows may hold one of these (checked by `expectConnectorError`). */
const secrets = [clientSecret, accessToken, refreshToken];

describe('authorization request', () => {
  it('sends PKCE S256 by default and keeps the verifier in the connector session', async () => {
    const { url, session } = await authorize(await load());
    expect(url.origin + url.pathname).toBe(endpoints.authorizationEndpoint);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: redirectUri,
      state: 'state-1',
      scope: 'profile email',
      code_challenge_method: 'S256',
    });
    expect(session.current.codeVerifier).toEqual(expect.any(String));
    expect(session.current.redirectUri).toBe(redirectUri);
    expect(url.searchParams.has('nonce')).toBe(false);
  });

  it('sends no PKCE challenge when switched off', async () => {
    const { url, session } = await authorize(await load({ pkce: false }));
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(session.current.codeVerifier).toBeUndefined();
  });

  it('lets the sign-in request’s scope replace the configured one', async () => {
    const { url } = await authorize(await load(), 'openid admin');
    expect(url.searchParams.get('scope')).toBe('openid admin');
  });

  it('sends customConfig snake-cased like the official connector, and it can set the scope', async () => {
    const { url } = await authorize(
      await load({ customConfig: { accessType: 'offline', audience: 'api', scope: 'custom' } }),
    );
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('audience')).toBe('api');
    expect(url.searchParams.get('scope')).toBe('custom');
  });

  it('never lets extra parameters override state, redirect_uri or the PKCE challenge', async () => {
    const { url } = await authorize(
      await load({
        customConfig: { state: 'evil', redirectUri: 'https://evil.example' },
        authorizationParameters: {
          state: 'evil',
          redirect_uri: 'https://evil.example',
          code_challenge: 'evil',
          nonce: 'evil',
          prompt: 'consent',
        },
      }),
    );
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(url.searchParams.get('code_challenge')).not.toBe('evil');
    expect(url.searchParams.has('nonce')).toBe(false);
    expect(url.searchParams.get('prompt')).toBe('consent');
  });
});

describe('sign-in', () => {
  it('signs in with an official config: code, PKCE verifier and client_secret_post', async () => {
    const user = await signIn();
    expect(user).toEqual({ ...profile, id: '42', rawData: profile });
    const [request] = tokenRequests;
    expect(Object.fromEntries(request!.form)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'good-code',
      redirect_uri: redirectUri,
      client_id: 'client-1',
      client_secret: clientSecret,
    });
    expect(request!.form.get('code_verifier')).toMatch(/^[\w-]{43}$/);
    expect(request!.headers.has('authorization')).toBe(false);
  });

  it('authenticates with client_secret_basic, form-encoding the credentials', async () => {
    await signIn({ clientId: 'client:1', tokenEndpointAuthMethod: 'client_secret_basic' });
    const { form, headers } = tokenRequests[0]!;
    expect(form.has('client_secret')).toBe(false);
    expect(headers.get('authorization')).toBe(
      `Basic ${Buffer.from(`client%3A1:${clientSecret}`).toString('base64')}`,
    );
  });

  it('authenticates with client_secret_jwt signed by the secret', async () => {
    await signIn({
      tokenEndpointAuthMethod: 'client_secret_jwt',
      clientSecretJwtSigningAlgorithm: 'HS384',
    });
    const { form } = tokenRequests[0]!;
    expect(form.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    const { payload, protectedHeader } = await jwtVerify(
      form.get('client_assertion')!,
      new TextEncoder().encode(clientSecret),
      { issuer: 'client-1', subject: 'client-1', audience: endpoints.tokenEndpoint },
    );
    expect(protectedHeader.alg).toBe('HS384');
    expect(payload.jti).toEqual(expect.any(String));
    expect(form.has('client_secret')).toBe(false);
  });

  it('authenticates with private_key_jwt signed by the configured key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    await signIn({
      tokenEndpointAuthMethod: 'private_key_jwt',
      clientSecret: undefined,
      clientPrivateKey: await exportPKCS8(privateKey),
      clientPrivateKeySigningAlgorithm: 'ES256',
      clientKeyId: 'key-1',
    });
    const { form } = tokenRequests[0]!;
    const { protectedHeader } = await jwtVerify(
      form.get('client_assertion')!,
      await importSPKI(await exportSPKI(publicKey), 'ES256'),
      { issuer: 'client-1', audience: endpoints.tokenEndpoint },
    );
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'key-1' });
  });

  it('signs in as a public client (none) with only the client id and PKCE', async () => {
    await signIn({ tokenEndpointAuthMethod: 'none', clientSecret: undefined });
    const { form } = tokenRequests[0]!;
    expect(form.get('client_id')).toBe('client-1');
    expect(form.has('client_secret')).toBe(false);
    expect(form.get('code_verifier')).toBeTruthy();
  });

  it('sends token request extras and customConfig, but never over the grant’s own parameters', async () => {
    await signIn({
      customConfig: { resource: 'https://api.example.com' },
      tokenRequestParameters: {
        audience: 'api',
        code: 'evil',
        redirect_uri: 'https://evil.example',
        code_verifier: 'evil',
      },
    });
    const { form } = tokenRequests[0]!;
    expect(form.get('resource')).toBe('https://api.example.com');
    expect(form.get('audience')).toBe('api');
    expect(form.get('code')).toBe('good-code');
    expect(form.get('redirect_uri')).toBe(redirectUri);
    expect(form.get('code_verifier')).not.toBe('evil');
  });

  it('reads a form-encoded token response with a string expires_in and no token_type', async () => {
    mock.use(
      http.post(endpoints.tokenEndpoint, () =>
        HttpResponse.text(`access_token=${accessToken}&expires_in=7200`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ),
    );
    const connector = await load();
    const { session } = await authorize(connector);
    const { tokenResponse, userInfo } = await connector.getTokenResponseAndUserInfo!(
      { code: 'good-code' },
      session.getSession,
    );
    expect(tokenResponse).toMatchObject({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 7200,
    });
    expect(userInfo.id).toBe('42');
  });

  it('reads a JSON token response even though the stored config says query-string', async () => {
    const user = await signIn({ tokenEndpointResponseType: 'query-string' });
    expect(user.id).toBe('42');
  });

  it('forces JSON when tokenEndpointResponseType is json, whatever the Content-Type says', async () => {
    mock.use(
      http.post(
        endpoints.tokenEndpoint,
        () =>
          new HttpResponse(JSON.stringify({ access_token: accessToken, token_type: 'bearer' }), {
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
      ),
    );
    expect((await signIn({ tokenEndpointResponseType: 'json' })).id).toBe('42');
  });

  it('reads an unlabeled form body when tokenEndpointResponseType is query-string', async () => {
    mock.use(
      http.post(
        endpoints.tokenEndpoint,
        () =>
          new HttpResponse(`access_token=${accessToken}&token_type=bearer`, {
            headers: { 'content-type': 'text/plain' },
          }),
      ),
    );
    expect((await signIn()).id).toBe('42');
  });

  it('maps nested profile paths and numeric ids, leaving out null fields', async () => {
    mock.use(
      http.get(endpoints.userInfoEndpoint, () =>
        HttpResponse.json({
          data: { user: { id: 7, contact: { mail: 'n@example.com', phone: null } } },
          display: 'Nested',
        }),
      ),
    );
    const user = await signIn({
      profileMap: { id: 'data.user.id', email: 'data.user.contact.mail', name: 'display' },
    });
    expect(user).toMatchObject({ id: '7', email: 'n@example.com', name: 'Nested' });
    expect(user).not.toHaveProperty('phone');
  });

  it('calls the user info endpoint by POST when configured', async () => {
    mock.use(
      http.post(endpoints.userInfoEndpoint, ({ request }) =>
        request.headers.get('authorization') === `Bearer ${accessToken}`
          ? HttpResponse.json({ id: 'posted' })
          : new HttpResponse(null, { status: 401 }),
      ),
    );
    expect((await signIn({ userInfoEndpointMethod: 'POST' })).id).toBe('posted');
  });

  it('sends userInfoHeaders and tokenHeaders with {{clientId}} filled in, never over Authorization', async () => {
    let userInfo: Headers | undefined;
    mock.use(
      http.get(endpoints.userInfoEndpoint, ({ request }) => {
        userInfo = request.headers;
        return HttpResponse.json(profile);
      }),
    );
    await signIn({
      tokenEndpointAuthMethod: 'client_secret_basic',
      userInfoHeaders: { 'Client-Id': '{{clientId}}', 'X-Api-Version': '2' },
      tokenHeaders: { 'X-Client': 'id={{ clientId }}' },
    });
    const token = tokenRequests[0];
    expect(token?.headers.get('x-client')).toBe(`id=${officialConfig.clientId}`);
    expect(token?.headers.get('authorization')).toMatch(/^Basic /);
    expect(token?.headers.get('client-id')).toBeNull();
    expect(userInfo?.get('client-id')).toBe(officialConfig.clientId);
    expect(userInfo?.get('x-api-version')).toBe('2');
    expect(userInfo?.get('authorization')).toBe(`Bearer ${accessToken}`);
  });

  it('refuses header configs that would break requests or reach the secret as invalid_config', async () => {
    for (const headers of [
      { Authorization: 'Bearer other' },
      { host: 'evil.example.com' },
      { 'Content-Length': '0' },
      { 'X-Secret': '{{clientSecret}}' },
      { 'X-Other': '{{tokenEndpoint}}' },
      { 'X-Injected': 'a\r\nHost: evil' },
      { 'Bad Name': 'x' },
      { 'x-a': '1', 'X-A': '2' },
      Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`x-h${index}`, 'v'])),
    ]) {
      for (const key of ['userInfoHeaders', 'tokenHeaders']) {
        const error = await expectConnectorError(signIn({ [key]: headers }), {
          code: ConnectorErrorCodes.InvalidConfig,
          secrets,
        });
        expect(error.message).toContain(key);
      }
    }
  });

  it('makes exactly the token and user info requests', async () => {
    await signIn();
    expect(mock.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `POST ${endpoints.tokenEndpoint}`,
      `GET ${endpoints.userInfoEndpoint}`,
    ]);
  });
});

describe('refresh', () => {
  it('uses the same client auth method and keeps the refresh token when none comes back', async () => {
    tokenRequests.length = 0;
    const connector = await load({
      tokenEndpointAuthMethod: 'client_secret_basic',
      customConfig: { resource: 'r' },
    });
    const tokens = await connector.getAccessTokenByRefreshToken!(refreshToken);
    expect(tokens).toMatchObject({
      access_token: 'new-access-token',
      refresh_token: refreshToken,
      token_type: 'Bearer',
    });
    const { form, headers } = tokenRequests[0]!;
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('refresh_token')).toBe(refreshToken);
    expect(form.get('resource')).toBe('r');
    expect(headers.get('authorization')).toMatch(/^Basic /);
  });
});

describe('errors', () => {
  it('reports a bad or reused code as social_auth_code_invalid', async () => {
    const error = await expectConnectorError(signIn({}, { code: 'used-code' }), {
      code: ConnectorErrorCodes.SocialAuthCodeInvalid,
      secrets,
    });
    expect(error.message).toContain('The code has expired');
  });

  it.each(['invalid_client', 'unauthorized_client', 'redirect_uri_mismatch'])(
    'reports %s from the token endpoint as invalid_config',
    async (code) => {
      mock.use(
        http.post(endpoints.tokenEndpoint, () =>
          HttpResponse.json({ error: code, error_description: 'check' }, { status: 401 }),
        ),
      );
      await expectConnectorError(signIn(), { code: ConnectorErrorCodes.InvalidConfig, secrets });
    },
  );

  it('reports a callback access_denied as authorization_failed', async () => {
    await expectConnectorError(signIn({}, { error: 'access_denied', state: 'state-1' }), {
      code: ConnectorErrorCodes.AuthorizationFailed,
      secrets,
    });
    expect(mock.requests).toEqual([]);
  });

  it('reports other callback errors as general with the description', async () => {
    const error = await expectConnectorError(
      signIn({}, { error: 'server_error', error_description: 'The IdP is down' }),
      { code: ConnectorErrorCodes.General, secrets },
    );
    expect(error.message).toContain('The IdP is down');
  });

  it('reports a rejected access token at the user info endpoint as social_invalid_access_token', async () => {
    mock.use(http.get(endpoints.userInfoEndpoint, () => new HttpResponse(null, { status: 401 })));
    await expectConnectorError(signIn(), {
      code: ConnectorErrorCodes.SocialAccessTokenInvalid,
      secrets,
    });
  });

  it('reports throttling as rate_limit_exceeded with the retry-after', async () => {
    mock.use(
      http.post(
        endpoints.tokenEndpoint,
        () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '30' } }),
      ),
    );
    const error = await expectConnectorError(signIn(), {
      code: ConnectorErrorCodes.RateLimitExceeded,
      secrets,
    });
    expect(error.data).toMatchObject({ retryAfter: 30 });
  });

  it('reports a timeout as general naming the host and the timeout', async () => {
    mock.use(
      http.post(endpoints.tokenEndpoint, async () => {
        await delay(2000);
        return HttpResponse.json({ access_token: 'late' });
      }),
    );
    const error = await expectConnectorError(signIn({ timeout: 200 }), {
      code: ConnectorErrorCodes.General,
      secrets,
    });
    expect(error.message).toContain('idp.example.com');
    expect(error.message).toContain('200 ms');
  });

  it('reports an unreachable provider as general naming the host', async () => {
    mock.use(http.post(endpoints.tokenEndpoint, () => HttpResponse.error()));
    const error = await expectConnectorError(signIn(), {
      code: ConnectorErrorCodes.General,
      secrets,
    });
    expect(error.message).toContain('idp.example.com');
  });

  it('reports a malformed token response as invalid_response with an excerpt', async () => {
    mock.use(
      http.post(endpoints.tokenEndpoint, () =>
        HttpResponse.html('<html><body>Gateway says hi</body></html>', { status: 200 }),
      ),
    );
    const error = await expectConnectorError(signIn(), {
      code: ConnectorErrorCodes.InvalidResponse,
      secrets,
    });
    expect(error.message).toContain('Gateway says hi');
  });

  it('reports a token response without access_token as invalid_response', async () => {
    mock.use(http.post(endpoints.tokenEndpoint, () => HttpResponse.json({ token_type: 'bearer' })));
    await expectConnectorError(signIn(), { code: ConnectorErrorCodes.InvalidResponse, secrets });
  });

  it('reports a profile without the mapped id as invalid_response naming the path', async () => {
    mock.use(http.get(endpoints.userInfoEndpoint, () => HttpResponse.json({ user_id: 'x' })));
    const error = await expectConnectorError(signIn(), {
      code: ConnectorErrorCodes.InvalidResponse,
      secrets,
    });
    expect(error.message).toContain('profileMap.id');
  });

  it('refuses a callback whose iss is not one string (RFC 9207), before the token request', async () => {
    await expectConnectorError(
      signIn({}, {
        code: 'good-code',
        // What `?iss=a&iss=b` parses to; the helper's type only speaks of strings.
        iss: ['https://a.example', 'https://b.example'],
      } as unknown as Record<string, string>),
      { code: 'general', secrets },
    );
    expect(tokenRequests).toHaveLength(0);
  });

  it('signs in from a callback without state: Logto compares state before calling the connector', async () => {
    expect((await signIn({}, { code: 'good-code' })).id).toBeTruthy();
  });

  it('reports an echoed secret in a provider error without the secret', async () => {
    mock.use(
      http.post(endpoints.tokenEndpoint, () =>
        HttpResponse.json(
          { error: 'invalid_client', error_description: `bad secret ${clientSecret}` },
          { status: 401 },
        ),
      ),
    );
    const error = await expectConnectorError(signIn(), { code: 'invalid_config', secrets });
    expect(error.message).toContain('[redacted]');
  });

  it('reports an invalid config as invalid_config with readable paths', async () => {
    const connector = await load({ tokenEndpoint: 'not a url', clientId: undefined });
    const error = await expectConnectorError(authorize(connector), {
      code: ConnectorErrorCodes.InvalidConfig,
      secrets,
    });
    expect(error.message).toContain('tokenEndpoint');
    expect(error.message).toContain('clientId');
  });

  it('asks for a client secret when the auth method needs one', async () => {
    await expectConnectorError(signIn({ clientSecret: undefined }), {
      code: ConnectorErrorCodes.InvalidConfig,
      secrets,
    });
  });

  it('refuses a sign-in whose session has expired', async () => {
    const connector = await load();
    await expectConnectorError(
      connector.getUserInfo({ code: 'good-code' }, async () => ({})),
      { code: ConnectorErrorCodes.General, secrets },
    );
    expect(mock.requests).toEqual([]);
  });
});
