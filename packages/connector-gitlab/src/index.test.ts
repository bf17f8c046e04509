import { startSocialSignIn, useProviderMock } from '@idplug/testing';
import { ConnectorError } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  accessToken,
  config,
  discoveryHandlers,
  endpoints,
  load,
  redirectUri,
  refreshToken,
  resetCaches,
  signIn,
  userInfo,
} from './gitlab-test-kit';

const mock = useProviderMock(...(await discoveryHandlers()));
beforeEach(() => resetCaches());

const errorOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    const text = `${(error as ConnectorError).message} ${JSON.stringify((error as ConnectorError).data)}`;
    for (const secret of [config.clientSecret, accessToken, refreshToken]) {
      expect(text).not.toContain(secret);
    }
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
};

const apiUser = {
  id: 8054123,
  username: 'ada.l',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  confirmed_at: '2021-03-04T05:06:07.000Z',
  avatar_url: 'https://secure.gravatar.com/avatar/0000',
};

describe('GitLab authorization request', () => {
  it('asks gitlab.com for openid with a nonce and a PKCE challenge', async () => {
    const { url, session } = await startSocialSignIn(await load(), { redirectUri });
    expect(url.origin + url.pathname).toBe('https://gitlab.com/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('openid');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('nonce')).toBe(session.current.nonce);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('appends openid to a configured scope, as the official connector does', async () => {
    const { url } = await startSocialSignIn(await load({ scope: 'profile email' }));
    expect(url.searchParams.get('scope')).toBe('profile email openid');
  });

  it('uses a self-managed instance', async () => {
    const { url } = await startSocialSignIn(await load({ baseUrl: 'https://gitlab.example.com/' }));
    expect(url.origin + url.pathname).toBe('https://gitlab.example.com/oauth/authorize');
  });

  it.each([
    'gitlab.example.com',
    'http://gitlab.example.com',
    'https://',
    'javascript:alert(1)',
    '   ',
  ])(
    'refuses the baseUrl %j as invalid_config, without throwing anything else',
    async (baseUrl) => {
      const error = await errorOf(startSocialSignIn(await load({ baseUrl })));
      expect(error.code).toBe('invalid_config');
    },
  );
});

describe('GitLab sign-in with OIDC', () => {
  it('verifies the ID token and maps userinfo as the official connector does', async () => {
    const user = await signIn(mock);
    expect(user).toEqual({
      id: '8054123',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      avatar: 'https://secure.gravatar.com/avatar/0000',
      rawData: userInfo,
    });
  });

  it('authenticates with HTTP Basic, as the official connector does', async () => {
    let authorization: string | null = null;
    mock.use(
      http.post(endpoints.tokenEndpoint, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
      }),
    );
    const connector = await load();
    const { session } = await startSocialSignIn(connector, { redirectUri });
    await errorOf(connector.getUserInfo({ code: 'c' }, session.getSession));
    expect(authorization).toBe(
      `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
    );
  });

  it('makes no more requests than the official connector once discovery and keys are cached', async () => {
    await signIn(mock);
    const cold = mock.requests.map((request) => request.pathname);
    expect(cold).toEqual([
      '/oauth/token',
      '/.well-known/openid-configuration',
      '/oauth/discovery/keys',
      '/oauth/userinfo',
    ]);
    mock.requests.length = 0;
    await signIn(mock);
    // The official connector: the token request and userinfo.
    expect(mock.requests.map((request) => request.pathname)).toEqual([
      '/oauth/token',
      '/oauth/userinfo',
    ]);
  });

  it('returns no email when GitLab has not verified it', async () => {
    const user = await signIn(mock, { userInfo: { ...userInfo, email_verified: false } });
    expect(user.email).toBeUndefined();
  });

  it('refuses an ID token issued for another nonce', async () => {
    const error = await errorOf(signIn(mock, { idToken: { nonce: 'another-nonce' } }));
    expect(error.code).toBe('social_invalid_id_token');
  });

  it('refuses a userinfo sub other than the ID token sub (OIDC Core §5.3.2)', async () => {
    const error = await errorOf(signIn(mock, { userInfo: { ...userInfo, sub: '1' } }));
    expect(error.code).toBe('social_invalid_id_token');
  });

  it('refuses a numeric sub, as the official connector does', async () => {
    const error = await errorOf(signIn(mock, { userInfo: { ...userInfo, sub: 8054123 } }));
    expect(error.code).toBe('invalid_response');
  });

  it('maps a refused access token (401 at userinfo) to social_invalid_access_token', async () => {
    const error = await errorOf(
      signIn(mock, { userInfo: { error: 'invalid_token' }, userInfoStatus: 401 }),
    );
    expect(error.code).toBe('social_invalid_access_token');
  });

  it('maps an expired or used code (invalid_grant) to social_auth_code_invalid', async () => {
    mock.use(
      http.post(endpoints.tokenEndpoint, () =>
        HttpResponse.json(
          {
            error: 'invalid_grant',
            error_description: 'The provided authorization grant is invalid, expired, revoked...',
          },
          { status: 400 },
        ),
      ),
    );
    const connector = await load();
    const { session } = await startSocialSignIn(connector, { redirectUri });
    const error = await errorOf(connector.getUserInfo({ code: 'used' }, session.getSession));
    expect(error.code).toBe('social_auth_code_invalid');
  });
});

describe('GitLab sign-in without an ID token', () => {
  const withoutOidc = (answer: unknown) => {
    mock.use(http.get(endpoints.apiUserEndpoint, () => HttpResponse.json(answer as object)));
  };

  it('reads /api/v4/user: the numeric id as the same string the OIDC sub is', async () => {
    withoutOidc(apiUser);
    const user = await signIn(mock, { idToken: false, config: { scope: 'read_user' } });
    expect(user).toMatchObject({
      id: '8054123',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      avatar: apiUser.avatar_url,
    });
    expect(mock.requests.map((request) => request.pathname)).toEqual([
      '/oauth/token',
      '/api/v4/user',
    ]);
  });

  it('maps a refused access token (401 at /api/v4/user) to social_invalid_access_token', async () => {
    mock.use(
      http.get(endpoints.apiUserEndpoint, () =>
        HttpResponse.json({ message: '401 Unauthorized' }, { status: 401 }),
      ),
    );
    const error = await errorOf(signIn(mock, { idToken: false }));
    expect(error.code).toBe('social_invalid_access_token');
  });

  it('leaves out the email of an account GitLab has not confirmed (confirmed_at null)', async () => {
    withoutOidc({ ...apiUser, confirmed_at: null });
    const user = await signIn(mock, { idToken: false });
    expect(user.email).toBeUndefined();
  });
});

describe('GitLab token storage', () => {
  it('keeps the tokens and refreshes them with the refresh grant and HTTP Basic', async () => {
    const connector = await load();
    let form: URLSearchParams | undefined;
    let authorization: string | null = null;
    mock.use(
      http.post(endpoints.tokenEndpoint, async ({ request }) => {
        form = new URLSearchParams(await request.text());
        authorization = request.headers.get('authorization');
        return HttpResponse.json({
          access_token: 'renewed',
          token_type: 'Bearer',
          expires_in: 7200,
          refresh_token: 'renewed-refresh',
          scope: 'openid',
        });
      }),
    );
    const tokens = await connector.getAccessTokenByRefreshToken!(refreshToken);
    expect(form?.get('grant_type')).toBe('refresh_token');
    expect(form?.get('refresh_token')).toBe(refreshToken);
    expect(authorization).toMatch(/^Basic /);
    expect(tokens).toMatchObject({ access_token: 'renewed', refresh_token: 'renewed-refresh' });
    expect(connector.getTokenResponseAndUserInfo).toBeTypeOf('function');
  });
});
