import { completeSocialSignIn, startSocialSignIn, useProviderMock } from '@idplug/testing';
import { ConnectorError, type SocialConnector } from '@logto/connector-kit';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import { discordEndpoints } from './constants';
import createDiscordConnector from './index';

const config = { clientId: 'client-id-1', clientSecret: 'discord-client-secret-1234' };
const redirectUri = 'https://logto.example.com/callback/discord';
const accessToken = 'discord-access-token-value';
const refreshToken = 'discord-refresh-token-value';
const user = {
  id: '80351110224678912',
  username: 'nelly',
  discriminator: '0',
  global_name: 'Nelly',
  avatar: '8342729096ea3675442027381ff50dfe',
  email: 'nelly@example.com',
  verified: true,
};

const tokenAnswer = (scope = 'identify email') =>
  http.post(discordEndpoints.tokenEndpoint, async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    if (form.get('code') !== 'good-code') {
      return HttpResponse.json(
        { error: 'invalid_grant', error_description: 'Invalid "code" in request.' },
        { status: 400 },
      );
    }
    return HttpResponse.json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 604800,
      refresh_token: refreshToken,
      scope,
    });
  });
const userAnswer = (body: JsonBodyType = user) =>
  http.get(discordEndpoints.userEndpoint, () => HttpResponse.json(body));

const mock = useProviderMock(tokenAnswer(), userAnswer());

const load = async (overrides: Record<string, unknown> = {}) =>
  (await createDiscordConnector({
    getConfig: async () => ({ ...config, ...overrides }),
  })) as SocialConnector;

const signIn = async (overrides: Record<string, unknown> = {}, code = 'good-code') =>
  completeSocialSignIn(await load(overrides), { code, state: 'state-1' }, { redirectUri });

const errorOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    const text = `${(error as ConnectorError).message} ${JSON.stringify((error as ConnectorError).data)}`;
    for (const secret of [config.clientSecret, accessToken, refreshToken, 'good-code']) {
      expect(text).not.toContain(secret);
    }
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
};

describe('Discord authorization request', () => {
  it('asks for identify email at Discord with the client id, redirect URI and state', async () => {
    const { url } = await startSocialSignIn(await load(), { redirectUri });
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-id-1',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'identify email',
      state: 'state-1',
    });
  });

  it('uses the configured scope, and the request scope over it', async () => {
    const configured = await startSocialSignIn(await load({ scope: 'identify email guilds' }));
    expect(configured.url.searchParams.get('scope')).toBe('identify email guilds');
    const requested = await startSocialSignIn(await load({ scope: 'identify' }), {
      scope: 'email',
    });
    expect(requested.url.searchParams.get('scope')).toBe('email');
  });
});

describe('Discord sign-in', () => {
  it('exchanges the code with the credentials in the form and reads /users/@me with the token', async () => {
    let form: URLSearchParams | undefined;
    let authorization: string | null = null;
    mock.use(
      http.post(discordEndpoints.tokenEndpoint, async ({ request }) => {
        form = new URLSearchParams(await request.text());
        return HttpResponse.json({
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: 604800,
          scope: 'identify email',
        });
      }),
      http.get(discordEndpoints.userEndpoint, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json(user);
      }),
    );
    const profile = await signIn();
    expect(Object.fromEntries(form!)).toEqual({
      client_id: 'client-id-1',
      client_secret: config.clientSecret,
      grant_type: 'authorization_code',
      code: 'good-code',
      redirect_uri: redirectUri,
    });
    expect(authorization).toBe(`Bearer ${accessToken}`);
    expect(profile).toEqual({
      id: '80351110224678912',
      name: 'nelly',
      email: 'nelly@example.com',
      avatar:
        'https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png',
      rawData: user,
    });
  });

  it('makes two requests for a sign-in, as the official connector does', async () => {
    await signIn();
    expect(mock.requests.map((request) => `${request.method} ${request.pathname}`)).toEqual([
      'POST /api/v10/oauth2/token',
      'GET /api/v10/users/@me',
    ]);
  });

  it('returns no email when Discord has not verified it', async () => {
    mock.use(userAnswer({ ...user, verified: false }));
    expect((await signIn()).email).toBeUndefined();
  });

  it('returns no email when the email scope was not granted', async () => {
    const { email: _email, verified: _verified, ...identity } = user;
    mock.use(userAnswer(identity));
    expect((await signIn()).email).toBeUndefined();
  });

  it('builds a GIF URL for an animated avatar hash', async () => {
    mock.use(userAnswer({ ...user, avatar: 'a_1269e74af4df7417b13759eae50c83dc' }));
    expect((await signIn()).avatar).toBe(
      'https://cdn.discordapp.com/avatars/80351110224678912/a_1269e74af4df7417b13759eae50c83dc.gif',
    );
  });

  it('picks the default avatar from the id for a user on the new username system', async () => {
    mock.use(userAnswer({ ...user, avatar: null }));
    // (80351110224678912 >> 22) % 6 = 19157197529 % 6 = 5
    expect((await signIn()).avatar).toBe('https://cdn.discordapp.com/embed/avatars/5.png');
  });

  it('picks the default avatar from the discriminator for a legacy user', async () => {
    mock.use(userAnswer({ ...user, avatar: null, discriminator: '1337' }));
    expect((await signIn()).avatar).toBe('https://cdn.discordapp.com/embed/avatars/2.png');
  });

  it('refuses a numeric id, which cannot hold a snowflake exactly', async () => {
    mock.use(userAnswer({ ...user, id: 80351110224678912 }));
    const error = await errorOf(signIn());
    expect(error.code).toBe('invalid_response');
  });

  it('adds the guild ids to rawData when the guilds scope was granted, in one more request', async () => {
    mock.use(
      tokenAnswer('identify email guilds'),
      http.get(discordEndpoints.guildsEndpoint, ({ request }) =>
        request.headers.get('authorization') === `Bearer ${accessToken}`
          ? HttpResponse.json([
              { id: '613425648685547541', name: 'DDevs', owner: false, permissions: '0' },
              { id: '81384788765712384', name: 'Discord API', owner: false, permissions: '0' },
            ])
          : HttpResponse.json({ message: '401: Unauthorized', code: 0 }, { status: 401 }),
      ),
    );
    const profile = await signIn({ scope: 'identify email guilds' });
    expect(profile.rawData).toMatchObject({
      guildIds: ['613425648685547541', '81384788765712384'],
    });
    expect(mock.requests).toHaveLength(3);
  });

  it('maps a used or expired code to social_auth_code_invalid', async () => {
    const error = await errorOf(signIn({}, 'used-code'));
    expect(error.code).toBe('social_auth_code_invalid');
  });

  it('maps a refused access token (401) to social_invalid_access_token', async () => {
    mock.use(
      http.get(discordEndpoints.userEndpoint, () =>
        HttpResponse.json({ message: '401: Unauthorized', code: 0 }, { status: 401 }),
      ),
    );
    expect((await errorOf(signIn())).code).toBe('social_invalid_access_token');
  });

  it('maps a 429 to rate_limit_exceeded with retry_after rounded up to the second', async () => {
    mock.use(
      http.get(discordEndpoints.userEndpoint, () =>
        HttpResponse.json(
          { message: 'You are being rate limited.', retry_after: 64.57, global: false },
          {
            status: 429,
            headers: {
              'retry-after': '65',
              'x-ratelimit-limit': '5',
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset-after': '64.57',
              'x-ratelimit-scope': 'user',
            },
          },
        ),
      ),
    );
    const error = await errorOf(signIn());
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ retryAfter: 65, status: 429, provider: 'Discord' });
  });

  it('reads the wait from X-RateLimit-Reset-After when the body has none', async () => {
    mock.use(
      http.get(discordEndpoints.userEndpoint, () =>
        HttpResponse.json(
          { message: 'You are being rate limited.', global: true },
          { status: 429, headers: { 'x-ratelimit-reset-after': '12.2', 'retry-after': '13' } },
        ),
      ),
    );
    const error = await errorOf(signIn());
    expect(error.data).toMatchObject({ retryAfter: 13 });
  });

  it("reports Discord's own { code, message } errors with the code", async () => {
    mock.use(
      http.get(discordEndpoints.userEndpoint, () =>
        HttpResponse.json({ message: 'Missing Access', code: 50001 }, { status: 403 }),
      ),
    );
    const error = await errorOf(signIn());
    expect(error.code).toBe('general');
    expect(error.data).toMatchObject({ providerCode: '50001', status: 403 });
  });

  it('keeps the tokens when Logto stores them, and refreshes with the refresh grant', async () => {
    const connector = await load();
    const { session } = await startSocialSignIn(connector, { redirectUri });
    const { tokenResponse } = await connector.getTokenResponseAndUserInfo!(
      { code: 'good-code' },
      session.getSession,
    );
    expect(tokenResponse).toMatchObject({ access_token: accessToken, refresh_token: refreshToken });
    let grant: string | null = null;
    mock.use(
      http.post(discordEndpoints.tokenEndpoint, async ({ request }) => {
        grant = new URLSearchParams(await request.text()).get('grant_type');
        return HttpResponse.json({
          access_token: 'renewed-token',
          token_type: 'Bearer',
          expires_in: 604800,
          refresh_token: 'renewed-refresh',
          scope: 'identify email',
        });
      }),
    );
    const renewed = await connector.getAccessTokenByRefreshToken!(refreshToken);
    expect(grant).toBe('refresh_token');
    expect(renewed).toMatchObject({
      access_token: 'renewed-token',
      refresh_token: 'renewed-refresh',
    });
  });

  it('refuses a config without a client secret as invalid_config', async () => {
    const error = await errorOf(startSocialSignIn(await load({ clientSecret: '' })));
    expect(error.code).toBe('invalid_config');
  });
});
