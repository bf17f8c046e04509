import {
  completeSocialSignIn,
  expectConnectorError,
  startSocialSignIn,
  useProviderMock,
} from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import createGithubConnector from './index';

const config = { clientId: 'client-id-1', clientSecret: 'github-client-secret-1234' };
const redirectUri = 'https://logto.example.com/callback/github';
const accessToken = 'gho_access-token-value';

const tokenOk = http.post('https://github.com/login/oauth/access_token', async ({ request }) => {
  const form = new URLSearchParams(await request.text());
  if (form.get('code') !== 'good-code') {
    return HttpResponse.json({
      error: 'bad_verification_code',
      error_description: 'The code passed is incorrect or expired.',
    });
  }
  return HttpResponse.json({
    access_token: accessToken,
    token_type: 'bearer',
    scope: 'read:user,user:email',
  });
});
const userOk = http.get('https://api.github.com/user', () =>
  HttpResponse.json({
    id: 1234,
    login: 'octocat',
    name: 'The Octocat',
    email: null,
    avatar_url: 'https://avatars.example/1',
  }),
);
const emailsOk = http.get('https://api.github.com/user/emails', () =>
  HttpResponse.json([
    { email: 'unverified@example.com', primary: false, verified: false, visibility: null },
    { email: 'octocat@example.com', primary: true, verified: true, visibility: 'private' },
  ]),
);

const mock = useProviderMock(tokenOk, userOk, emailsOk);

const load = async (overrides: Record<string, unknown> = {}) =>
  (await createGithubConnector({
    getConfig: async () => ({ ...config, ...overrides }),
  })) as SocialConnector;

const startSignIn = (connector: SocialConnector, scope?: string) =>
  startSocialSignIn(connector, { redirectUri, scope });

const signIn = async (callback: Record<string, string>, overrides: Record<string, unknown> = {}) =>
  completeSocialSignIn(await load(overrides), callback, { redirectUri });

/** Nothing any error of these tests shows may hold one of these (checked by `expectConnectorError`). */
const secrets = [config.clientSecret, accessToken];

describe('GitHub authorization request', () => {
  it('sends the client id, redirect URI, state, default scope and a PKCE challenge, and keeps the verifier in the session', async () => {
    const { url, session } = await startSignIn(await load());
    expect(url.origin + url.pathname).toBe('https://github.com/login/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('client-id-1');
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('scope')).toBe('read:user user:email');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(session.current.codeVerifier).toEqual(expect.any(String));
    expect(session.current.redirectUri).toBe(redirectUri);
  });

  it('lets the sign-in request override the scope', async () => {
    const { url } = await startSignIn(await load({ scope: 'read:user' }), 'repo read:org');
    expect(url.searchParams.get('scope')).toBe('repo read:org');
  });

  it('uses a GitHub Enterprise Server base URL', async () => {
    const { url } = await startSignIn(await load({ enterpriseUrl: 'https://github.example.com/' }));
    expect(url.origin + url.pathname).toBe('https://github.example.com/login/oauth/authorize');
  });

  it('refuses a plain-http Enterprise URL that is not loopback', async () => {
    const connector = await load({ enterpriseUrl: 'http://github.example.com' });
    const error = await expectConnectorError(startSignIn(connector), {
      code: 'invalid_config',
      secrets,
    });
    expect(JSON.stringify(error.data)).toContain('enterpriseUrl');
  });
});

describe('GitHub sign-in', () => {
  it('returns the user with the verified primary email and sends the PKCE verifier', async () => {
    let verifier: string | null = null;
    mock.use(
      http.post('https://github.com/login/oauth/access_token', async ({ request }) => {
        verifier = new URLSearchParams(await request.text()).get('code_verifier');
        return HttpResponse.json({ access_token: accessToken, token_type: 'bearer', scope: '' });
      }),
    );
    const connector = await load();
    const { session } = await startSignIn(connector);
    const user = await connector.getUserInfo(
      { code: 'good-code', state: 'state-1' },
      session.getSession,
    );
    expect(user).toMatchObject({
      id: '1234',
      name: 'The Octocat',
      email: 'octocat@example.com',
      avatar: 'https://avatars.example/1',
    });
    expect(verifier).toBe(session.current.codeVerifier);
  });

  it('fetches /user and /user/emails in parallel', async () => {
    await signIn({ code: 'good-code' });
    const paths = mock.requests.map((request) => request.pathname);
    expect(paths).toEqual(
      expect.arrayContaining(['/login/oauth/access_token', '/user', '/user/emails']),
    );
    expect(paths).toHaveLength(3);
  });

  it('falls back to the login when the user has no name', async () => {
    mock.use(
      http.get('https://api.github.com/user', () =>
        HttpResponse.json({ id: 7, login: 'nameless', name: null }),
      ),
    );
    expect((await signIn({ code: 'good-code' })).name).toBe('nameless');
  });

  it('never uses an unverified email', async () => {
    mock.use(
      http.get('https://api.github.com/user', () =>
        HttpResponse.json({ id: 7, login: 'a', email: 'public@example.com' }),
      ),
      http.get('https://api.github.com/user/emails', () =>
        HttpResponse.json([
          { email: 'public@example.com', primary: true, verified: false, visibility: 'public' },
        ]),
      ),
    );
    expect((await signIn({ code: 'good-code' })).email).toBeUndefined();
  });

  it('signs in without an email when a GitHub App may not read /user/emails (403)', async () => {
    mock.use(
      http.get('https://api.github.com/user/emails', () =>
        HttpResponse.json({ message: 'Resource not accessible by integration' }, { status: 403 }),
      ),
    );
    const user = await signIn({ code: 'good-code' });
    expect(user.id).toBe('1234');
    expect(user.email).toBeUndefined();
  });

  it('accepts the RFC 9207 iss of github.com', async () => {
    const user = await signIn({ code: 'good-code', iss: 'https://github.com/login/oauth' });
    expect(user.id).toBe('1234');
  });

  it('works against a GitHub Enterprise Server', async () => {
    mock.use(
      http.post('https://github.example.com/login/oauth/access_token', () =>
        HttpResponse.json({ access_token: accessToken, token_type: 'bearer' }),
      ),
      http.get('https://github.example.com/api/v3/user', () =>
        HttpResponse.json({ id: 99, login: 'ghes-user' }),
      ),
      http.get('https://github.example.com/api/v3/user/emails', () => HttpResponse.json([])),
    );
    const user = await signIn(
      { code: 'x', iss: 'https://github.example.com/login/oauth' },
      { enterpriseUrl: 'https://github.example.com' },
    );
    expect(user).toMatchObject({ id: '99', name: 'ghes-user' });
  });

  it('returns the token response for token storage, and refreshes keeping the old refresh token', async () => {
    mock.use(
      http.post('https://github.com/login/oauth/access_token', async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        if (form.get('grant_type') === 'refresh_token') {
          expect(form.get('refresh_token')).toBe('ghr_refresh-token-1');
          expect(form.get('client_secret')).toBe(config.clientSecret);
          return HttpResponse.json({
            access_token: 'gho_new-access-token',
            token_type: 'bearer',
            expires_in: '28800',
          });
        }
        return HttpResponse.json({
          access_token: accessToken,
          token_type: 'bearer',
          refresh_token: 'ghr_refresh-token-1',
          expires_in: 28_800,
        });
      }),
    );
    const connector = await load();
    const { session } = await startSignIn(connector);
    const { tokenResponse, userInfo } = await connector.getTokenResponseAndUserInfo!(
      { code: 'good-code' },
      session.getSession,
    );
    expect(tokenResponse).toMatchObject({
      access_token: accessToken,
      refresh_token: 'ghr_refresh-token-1',
      expires_in: 28_800,
    });
    expect(userInfo.id).toBe('1234');
    const refreshed = await connector.getAccessTokenByRefreshToken!('ghr_refresh-token-1');
    expect(refreshed).toMatchObject({
      access_token: 'gho_new-access-token',
      refresh_token: 'ghr_refresh-token-1',
      expires_in: 28_800,
    });
  });
});

describe('GitHub error paths', () => {
  it('reports a bad or reused code (200 + bad_verification_code) as social_auth_code_invalid', async () => {
    const error = await expectConnectorError(signIn({ code: 'reused-code' }), {
      code: 'social_auth_code_invalid',
      secrets,
    });
    expect(JSON.stringify(error.data)).toContain('incorrect or expired');
  });

  it('reports wrong client credentials as invalid_config', async () => {
    mock.use(
      http.post('https://github.com/login/oauth/access_token', () =>
        HttpResponse.json({
          error: 'incorrect_client_credentials',
          error_description: 'The client_id and/or client_secret passed are incorrect.',
        }),
      ),
    );
    await expectConnectorError(signIn({ code: 'good-code' }), { code: 'invalid_config', secrets });
  });

  it('reports a redirect URI mismatch as invalid_config', async () => {
    mock.use(
      http.post('https://github.com/login/oauth/access_token', () =>
        HttpResponse.json({
          error: 'redirect_uri_mismatch',
          error_description:
            'The redirect_uri MUST match the registered callback URL for this application.',
        }),
      ),
    );
    await expectConnectorError(signIn({ code: 'good-code' }), { code: 'invalid_config', secrets });
  });

  it('reports a cancelled authorization as authorization_failed', async () => {
    await expectConnectorError(
      signIn({
        error: 'access_denied',
        error_description: 'The user has denied your application access.',
      }),
      { code: 'authorization_failed', secrets },
    );
  });

  it('reports another callback error as general with its description', async () => {
    const error = await expectConnectorError(
      signIn({
        error: 'application_suspended',
        error_description: 'Your application has been suspended.',
      }),
      { code: 'general', secrets },
    );
    expect(JSON.stringify(error.data)).toContain('suspended');
  });

  it('rejects a callback whose iss is not GitHub (mix-up defence)', async () => {
    await expectConnectorError(
      signIn({ code: 'good-code', iss: 'https://evil.example/login/oauth' }),
      { code: 'general', secrets },
    );
    expect(mock.requests).toHaveLength(0);
  });

  it('rejects a callback whose iss is not one string (RFC 9207), before calling GitHub', async () => {
    const connector = await load();
    await expectConnectorError(
      completeSocialSignIn(
        connector,
        // What `?iss=a&iss=b` parses to; the helper's type only speaks of strings.
        {
          code: 'good-code',
          iss: ['https://github.com/login/oauth', 'https://evil.example'],
        } as unknown as Record<string, string>,
        { redirectUri },
      ),
      { code: 'general', secrets },
    );
    expect(mock.requests).toHaveLength(0);
  });

  it('reports a revoked token on /user as social_invalid_access_token', async () => {
    mock.use(
      http.get('https://api.github.com/user', () =>
        HttpResponse.json({ message: 'Bad credentials' }, { status: 401 }),
      ),
    );
    await expectConnectorError(signIn({ code: 'good-code' }), {
      code: 'social_invalid_access_token',
      secrets,
    });
  });

  it('reports rate limiting as rate_limit_exceeded with the retry-after', async () => {
    mock.use(
      http.get('https://api.github.com/user', () =>
        HttpResponse.json(
          { message: 'API rate limit exceeded' },
          { status: 429, headers: { 'retry-after': '60' } },
        ),
      ),
    );
    const error = await expectConnectorError(signIn({ code: 'good-code' }), {
      code: 'rate_limit_exceeded',
      secrets,
    });
    expect(error.data).toMatchObject({ retryAfter: 60 });
  });

  it('reports a timeout as general naming the host and the timeout', async () => {
    mock.use(
      http.post('https://github.com/login/oauth/access_token', async () => {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        return HttpResponse.json({ access_token: accessToken });
      }),
    );
    const error = await expectConnectorError(signIn({ code: 'good-code' }, { timeout: 200 }), {
      code: 'general',
      secrets,
    });
    expect(JSON.stringify(error.data)).toContain('github.com did not answer within 200 ms');
  });

  it('reports a network failure as general naming the host', async () => {
    mock.use(http.post('https://github.com/login/oauth/access_token', () => HttpResponse.error()));
    const error = await expectConnectorError(signIn({ code: 'good-code' }), {
      code: 'general',
      secrets,
    });
    expect(JSON.stringify(error.data)).toContain('Could not reach github.com');
  });

  it('reports a malformed /user body as invalid_response with an excerpt', async () => {
    mock.use(
      http.get(
        'https://api.github.com/user',
        () =>
          new HttpResponse('<html>Unicorn!</html>', { headers: { 'content-type': 'text/html' } }),
      ),
    );
    const error = await expectConnectorError(signIn({ code: 'good-code' }), {
      code: 'invalid_response',
      secrets,
    });
    expect(JSON.stringify(error.data)).toContain('Unicorn');
  });

  it('reports a /user answer without an id as invalid_response', async () => {
    mock.use(http.get('https://api.github.com/user', () => HttpResponse.json({ login: 'no-id' })));
    await expectConnectorError(signIn({ code: 'good-code' }), {
      code: 'invalid_response',
      secrets,
    });
  });

  it('reports a GitHub outage (503 with an HTML page) as general with the status', async () => {
    mock.use(
      http.get(
        'https://api.github.com/user',
        () =>
          new HttpResponse('<h1>Service unavailable</h1>', {
            status: 503,
            headers: { 'content-type': 'text/html' },
          }),
      ),
    );
    const error = await expectConnectorError(signIn({ code: 'good-code' }), {
      code: 'general',
      secrets,
    });
    expect(JSON.stringify(error.data)).toContain('503');
  });

  it('reports a sign-in without a session as general, asking to start again', async () => {
    const connector = await load();
    const error = await expectConnectorError(
      connector.getUserInfo({ code: 'good-code' }, async () => ({})),
      { code: 'general', secrets },
    );
    expect(JSON.stringify(error.data)).toContain('start the sign-in again');
  });

  it('reports a missing config value as invalid_config naming the key', async () => {
    const connector = (await createGithubConnector({
      getConfig: async () => ({ clientId: 'x' }),
    })) as SocialConnector;
    const error = await expectConnectorError(startSignIn(connector), {
      code: 'invalid_config',
      secrets,
    });
    expect(JSON.stringify(error.data)).toContain('clientSecret: Required');
  });

  it('never puts the client secret into an error, even when GitHub echoes it', async () => {
    mock.use(
      http.post('https://github.com/login/oauth/access_token', () =>
        HttpResponse.json(
          { error: 'weird', error_description: `secret was ${config.clientSecret}` },
          { status: 400 },
        ),
      ),
    );
    const error = await expectConnectorError(signIn({ code: 'good-code' }), {
      code: 'general',
      secrets,
    });
    expect(JSON.stringify(error.data)).toContain('[redacted]');
  });
});
