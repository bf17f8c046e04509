import { createHmac } from 'node:crypto';
import { completeSocialSignIn, startSocialSignIn, useProviderMock } from '@idplug/testing';
import { ConnectorError, type SocialConnector } from '@logto/connector-kit';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import { defaultApiVersion } from './constants';
import createFacebookConnector from './index';

const config = { clientId: '1234567890', clientSecret: 'facebook-app-secret-1234' };
const redirectUri = 'https://logto.example.com/callback/facebook';
const shortLived = 'EAAshort-lived-token';
const longLived = 'EAAlong-lived-token';
const graph = `https://graph.facebook.com/${defaultApiVersion}`;
const tokenEndpoint = `${graph}/oauth/access_token`;
const meEndpoint = `${graph}/me`;
const user = {
  id: '10158849236012345',
  name: 'Zoë Ångström',
  email: 'zoe@example.com',
  picture: {
    data: {
      url: 'https://platform-lookaside.fbsbx.com/p.jpg',
      width: 50,
      height: 50,
      is_silhouette: false,
    },
  },
};
const proofOf = (token: string) =>
  createHmac('sha256', config.clientSecret).update(token).digest('hex');

const facebookError = (
  code: number,
  subcode?: number,
  message = 'An error',
  type = 'OAuthException',
) => ({
  error: { message, type, code, ...(subcode && { error_subcode: subcode }), fbtrace_id: 'AbCdEf' },
});

const mock = useProviderMock(
  http.post(tokenEndpoint, async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    if (form.get('grant_type') === 'fb_exchange_token') {
      return form.get('fb_exchange_token') === shortLived
        ? HttpResponse.json({ access_token: longLived, token_type: 'bearer', expires_in: 5183944 })
        : HttpResponse.json(facebookError(190, 463, 'Error validating access token'), {
            status: 400,
          });
    }
    if (form.get('code') === 'used-code') {
      return HttpResponse.json(
        facebookError(100, 36009, 'This authorization code has been used.'),
        { status: 400 },
      );
    }
    if (form.get('code') === 'expired-code') {
      return HttpResponse.json(facebookError(100, 36007, 'This authorization code has expired.'), {
        status: 400,
      });
    }
    return HttpResponse.json({ access_token: shortLived, token_type: 'bearer', expires_in: 5183 });
  }),
  http.get(meEndpoint, () => HttpResponse.json(user)),
);

const load = async (overrides: Record<string, unknown> = {}) =>
  (await createFacebookConnector({
    getConfig: async () => ({ ...config, ...overrides }),
  })) as SocialConnector;

const signIn = async (overrides: Record<string, unknown> = {}, code = 'good-code') =>
  completeSocialSignIn(await load(overrides), { code, state: 'state-1' }, { redirectUri });

const meAnswers = (body: JsonBodyType, status = 200) =>
  mock.use(http.get(meEndpoint, () => HttpResponse.json(body, { status })));

const errorOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    const text = `${(error as ConnectorError).message} ${JSON.stringify((error as ConnectorError).data)}`;
    for (const secret of [config.clientSecret, shortLived, longLived]) {
      expect(text).not.toContain(secret);
    }
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
};

describe('Facebook authorization request', () => {
  it('opens the login dialog of the pinned Graph API version with the official parameters', async () => {
    const { url } = await startSocialSignIn(await load(), { redirectUri });
    expect(url.origin + url.pathname).toBe(
      `https://www.facebook.com/${defaultApiVersion}/dialog/oauth`,
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: config.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'email,public_profile',
      state: 'state-1',
    });
  });

  it('uses a configured Graph API version everywhere', async () => {
    mock.use(
      http.post('https://graph.facebook.com/v23.0/oauth/access_token', () =>
        HttpResponse.json({ access_token: shortLived, token_type: 'bearer' }),
      ),
      http.get('https://graph.facebook.com/v23.0/me', () => HttpResponse.json(user)),
    );
    const { url } = await startSocialSignIn(await load({ apiVersion: 'v23.0' }));
    expect(url.pathname).toBe('/v23.0/dialog/oauth');
    expect((await signIn({ apiVersion: 'v23.0' })).id).toBe(user.id);
  });

  it('uses the default version for an emptied field', async () => {
    const { url } = await startSocialSignIn(await load({ apiVersion: '' }));
    expect(url.pathname).toBe(`/${defaultApiVersion}/dialog/oauth`);
  });

  it.each(['24', 'v24', 'latest', '../v1.0', ' '])(
    'refuses apiVersion %j as invalid_config',
    async (apiVersion) => {
      const error = await errorOf(startSocialSignIn(await load({ apiVersion })));
      expect(error.code).toBe('invalid_config');
    },
  );
});

describe('Facebook sign-in', () => {
  it('asks /me for id,name,email,picture with the token and an appsecret_proof, and maps it as the official connector', async () => {
    let me: URL | undefined;
    let authorization: string | null = null;
    mock.use(
      http.get(meEndpoint, ({ request }) => {
        me = new URL(request.url);
        authorization = request.headers.get('authorization');
        return HttpResponse.json(user);
      }),
    );
    const profile = await signIn();
    expect(me?.searchParams.get('fields')).toBe('id,name,email,picture');
    expect(me?.searchParams.get('appsecret_proof')).toBe(proofOf(shortLived));
    expect(authorization).toBe(`Bearer ${shortLived}`);
    expect(profile).toEqual({
      id: user.id,
      name: user.name,
      email: user.email,
      avatar: user.picture.data.url,
      rawData: user,
    });
    // The official connector's two requests: the code exchange and /me.
    expect(mock.requests.map((request) => `${request.method} ${request.pathname}`)).toEqual([
      `POST /${defaultApiVersion}/oauth/access_token`,
      `GET /${defaultApiVersion}/me`,
    ]);
  });

  it('sends no appsecret_proof when turned off', async () => {
    let me: URL | undefined;
    mock.use(
      http.get(meEndpoint, ({ request }) => {
        me = new URL(request.url);
        return HttpResponse.json(user);
      }),
    );
    await signIn({ appSecretProof: false });
    expect(me?.searchParams.has('appsecret_proof')).toBe(false);
  });

  it('signs in without an email when Facebook has none', async () => {
    const { email: _email, ...withoutEmail } = user;
    meAnswers(withoutEmail);
    expect((await signIn()).email).toBeUndefined();
  });

  it('refuses a numeric id, which cannot hold an app-scoped id exactly', async () => {
    // What JSON.parse makes of the number on the wire: already rounded.
    meAnswers({ ...user, id: Number('10158849236012345') });
    expect((await errorOf(signIn())).code).toBe('invalid_response');
  });

  it.each([
    [36009, 'This authorization code has been used.', 'used-code'],
    [36007, 'This authorization code has expired.', 'expired-code'],
  ])('maps subcode %i (%s) to social_auth_code_invalid', async (subcode, _message, code) => {
    const error = await errorOf(signIn({}, code));
    expect(error.code).toBe('social_auth_code_invalid');
    expect(error.data).toMatchObject({ providerCode: '100', hint: `error_subcode ${subcode}` });
  });

  it('maps code 190 from /me to social_invalid_access_token', async () => {
    meAnswers(
      facebookError(190, 460, 'Error validating access token: the session has been invalidated'),
      400,
    );
    expect((await errorOf(signIn())).code).toBe('social_invalid_access_token');
  });

  it.each([4, 17, 32, 613])('maps rate limit code %i to rate_limit_exceeded', async (code) => {
    meAnswers(facebookError(code, undefined, 'Application request limit reached'), 400);
    const error = await errorOf(signIn());
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ providerCode: String(code) });
  });

  it('maps a missing appsecret_proof (the app requires it) to invalid_config with a hint', async () => {
    meAnswers(
      facebookError(
        100,
        undefined,
        'API calls from the server require an appsecret_proof argument',
        'GraphMethodException',
      ),
      400,
    );
    const error = await errorOf(signIn({ appSecretProof: false }));
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error.data)).toContain('appSecretProof');
  });

  it('maps a wrong App Secret at the token endpoint to invalid_config', async () => {
    mock.use(
      http.post(tokenEndpoint, () =>
        HttpResponse.json(facebookError(1, undefined, 'Error validating client secret.'), {
          status: 400,
        }),
      ),
    );
    expect((await errorOf(signIn())).code).toBe('invalid_config');
  });

  it('maps another Graph error to general with its code', async () => {
    meAnswers(facebookError(2, undefined, 'An unexpected error has occurred.'), 500);
    const error = await errorOf(signIn());
    expect(error.code).toBe('general');
    expect(error.data).toMatchObject({ providerCode: '2' });
  });

  it('reports the person cancelling at Facebook as authorization_failed', async () => {
    const connector = await load();
    const { session } = await startSocialSignIn(connector, { redirectUri });
    const error = await errorOf(
      connector.getUserInfo(
        {
          error: 'access_denied',
          error_code: '200',
          error_description: 'Permissions error',
          error_reason: 'user_denied',
          state: 'state-1',
        },
        session.getSession,
      ),
    );
    expect(error.code).toBe('authorization_failed');
  });
});

describe('Facebook token storage', () => {
  it('stores a long-lived token, exchanged before /me, in the official connector’s three requests', async () => {
    let meToken: string | null = null;
    mock.use(
      http.get(meEndpoint, ({ request }) => {
        meToken = new URL(request.url).searchParams.get('appsecret_proof');
        return HttpResponse.json(user);
      }),
    );
    const connector = await load();
    const { session } = await startSocialSignIn(connector, { redirectUri });
    const { tokenResponse, userInfo } = await connector.getTokenResponseAndUserInfo!(
      { code: 'good-code', state: 'state-1' },
      session.getSession,
    );
    expect(tokenResponse).toMatchObject({ access_token: longLived, expires_in: 5183944 });
    expect(tokenResponse).not.toHaveProperty('refresh_token');
    expect(meToken).toBe(proofOf(longLived));
    expect(userInfo.id).toBe(user.id);
    expect(mock.requests).toHaveLength(3);
  });

  it('exchanges a still-valid token for a long-lived one through getAccessTokenByRefreshToken', async () => {
    const connector = await load();
    expect(await connector.getAccessTokenByRefreshToken!(shortLived)).toMatchObject({
      access_token: longLived,
    });
    const error = await errorOf(connector.getAccessTokenByRefreshToken!('EAAexpired'));
    expect(error.code).toBe('social_invalid_access_token');
  });
});
