import { completeSocialSignIn, startSocialSignIn, useProviderMock } from '@idplug/testing';
import { ConnectorError, type SocialConnector } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { defaultScope, endpoints } from './constants';
import create__Name__Connector from './index';

const config = { clientId: 'client-id-1', clientSecret: 'client-secret-value-1234' };
const redirectUri = 'https://logto.example.com/callback/__id__';
const accessToken = 'access-token-value-5678';

// msw answers __displayName__'s real URLs; any other request fails the test.
const tokenOk = http.post(endpoints.tokenEndpoint, async ({ request }) => {
  const form = new URLSearchParams(await request.text());
  if (form.get('grant_type') === 'refresh_token') {
    return HttpResponse.json({ access_token: 'refreshed-access-token', token_type: 'Bearer' });
  }
  if (form.get('code') !== 'good-code') {
    return HttpResponse.json(
      { error: 'invalid_grant', error_description: 'The code has expired.' },
      { status: 400 },
    );
  }
  return HttpResponse.json({
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: 3600,
    refresh_token: 'refresh-token-value',
  });
});
const profileOk = http.get(endpoints.userInfoEndpoint, () =>
  HttpResponse.json({
    sub: 'user-1',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    email_verified: true,
    picture: 'https://avatars.example/ada.png',
  }),
);

const mock = useProviderMock(tokenOk, profileOk);

const load = async (overrides: Record<string, unknown> = {}) =>
  (await create__Name__Connector({
    getConfig: async () => ({ ...config, ...overrides }),
  })) as SocialConnector;

const startSignIn = (connector: SocialConnector) => startSocialSignIn(connector, { redirectUri });

const signIn = async (callback: Record<string, string>) =>
  completeSocialSignIn(await load(), callback, { redirectUri });

const errorOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    const text = JSON.stringify((error as ConnectorError).data);
    expect(text).not.toContain(config.clientSecret);
    expect(text).not.toContain(accessToken);
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
};

describe('__displayName__ sign-in', () => {
  it('sends the client id, redirect URI, state, scope and a PKCE challenge', async () => {
    const { url, session } = await startSignIn(await load());
    expect(url.origin + url.pathname).toBe(new URL(endpoints.authorizationEndpoint).href);
    expect(url.searchParams.get('client_id')).toBe(config.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('scope')).toBe(defaultScope);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(session.current.codeVerifier).toEqual(expect.any(String));
  });

  it('exchanges the code with HTTP Basic client authentication and the PKCE verifier', async () => {
    let authorization: string | null = null;
    let verifier: string | null = null;
    mock.use(
      http.post(endpoints.tokenEndpoint, async ({ request }) => {
        authorization = request.headers.get('authorization');
        verifier = new URLSearchParams(await request.text()).get('code_verifier');
        return HttpResponse.json({ access_token: accessToken, token_type: 'Bearer' });
      }),
    );
    const connector = await load();
    const { session } = await startSignIn(connector);
    await connector.getUserInfo({ code: 'good-code', state: 'state-1' }, session.getSession);
    const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64');
    expect(authorization).toBe(`Basic ${basic}`);
    expect(verifier).toBe(session.current.codeVerifier);
  });

  it('returns the user with the verified email', async () => {
    expect(await signIn({ code: 'good-code' })).toMatchObject({
      id: 'user-1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      avatar: 'https://avatars.example/ada.png',
    });
  });

  it('never uses an unverified email', async () => {
    mock.use(
      http.get(endpoints.userInfoEndpoint, () =>
        HttpResponse.json({ sub: 'user-1', email: 'ada@example.com', email_verified: false }),
      ),
    );
    expect((await signIn({ code: 'good-code' })).email).toBeUndefined();
  });

  it('refreshes an access token, keeping the refresh token', async () => {
    const connector = await load();
    const tokens = await connector.getAccessTokenByRefreshToken!('refresh-token-value');
    expect(tokens).toMatchObject({
      access_token: 'refreshed-access-token',
      refresh_token: 'refresh-token-value',
    });
  });
});

describe('__displayName__ error paths', () => {
  it('reports an expired or reused code as social_auth_code_invalid', async () => {
    expect((await errorOf(signIn({ code: 'reused-code' }))).code).toBe('social_auth_code_invalid');
  });

  it('reports wrong client credentials as invalid_config', async () => {
    mock.use(
      http.post(endpoints.tokenEndpoint, () =>
        HttpResponse.json({ error: 'invalid_client' }, { status: 401 }),
      ),
    );
    expect((await errorOf(signIn({ code: 'good-code' }))).code).toBe('invalid_config');
  });

  it('reports a cancelled authorization as authorization_failed', async () => {
    expect((await errorOf(signIn({ error: 'access_denied' }))).code).toBe('authorization_failed');
  });

  it('reports a rejected access token on the profile as social_invalid_access_token', async () => {
    mock.use(http.get(endpoints.userInfoEndpoint, () => new HttpResponse(null, { status: 401 })));
    expect((await errorOf(signIn({ code: 'good-code' }))).code).toBe('social_invalid_access_token');
  });

  it('reports a profile without an id as invalid_response', async () => {
    mock.use(http.get(endpoints.userInfoEndpoint, () => HttpResponse.json({ name: 'no id' })));
    expect((await errorOf(signIn({ code: 'good-code' }))).code).toBe('invalid_response');
  });

  it('reports a missing config value as invalid_config naming the key', async () => {
    const connector = (await create__Name__Connector({
      getConfig: async () => ({ clientId: 'x' }),
    })) as SocialConnector;
    const error = await errorOf(startSignIn(connector));
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error.data)).toContain('clientSecret: Required');
  });
});
