import { ConnectorError, ConnectorPlatform } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineOAuthConnector } from './social-connector';
import { requestUserInfo } from './user-info-request';

/**
 * The tokens a flow meets (RFC 6749 §5.1) are secrets like the configured ones: a provider, or a
 * proxy in front of it, that echoes them in an error body must not get them into a
 * `ConnectorError`. Each case below fails when one of the redactions of `defineOAuthConnector`
 * is removed.
 */

const tokenEndpoint = 'https://idp.example.com/token';
const userInfoEndpoint = 'https://idp.example.com/userinfo';
const accessToken = 'access-token-met-during-the-flow';
const refreshToken = 'refresh-token-met-during-the-flow';
const storedRefreshToken = 'refresh-token-stored-by-logto';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const createConnector = defineOAuthConnector({
  metadata: {
    id: 'redaction-test',
    target: 'redaction-test',
    platform: ConnectorPlatform.Universal,
    name: { en: 'Redaction test' },
    logo: './logo.svg',
    logoDark: null,
    description: { en: 'A connector for tests' },
    readme: './README.md',
    formItems: [],
    isTokenStorageSupported: true,
  },
  configGuard: z.object({ clientId: z.string(), clientSecret: z.string() }),
  providerName: 'Example',
  httpOptions: () => ({ retries: 0 }),
  resolveProvider: (config) => ({
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint,
    client: {
      clientId: config.clientId,
      method: 'client_secret_post',
      clientSecret: config.clientSecret,
    },
    pkce: false,
    nonce: false,
  }),
  fetchUserInfo: async ({ http: client, tokens }) => {
    const profile = await requestUserInfo(client, {
      endpoint: userInfoEndpoint,
      accessToken: tokens.access_token,
      providerName: 'Example',
    });
    return { id: String(profile.sub) };
  },
});

const connector = async () =>
  createConnector({
    getConfig: async () => ({ clientId: 'client-id', clientSecret: 'client-secret-value' }),
  });

/** An RFC 6749 §5.2 error whose description (and an extra member) echoes `echoed`. */
const echoingError = (echoed: string, status = 400) =>
  HttpResponse.json(
    { error: 'invalid_grant', error_description: `rejected ${echoed}`, detail: echoed },
    { status },
  );

const signIn = async () => {
  const instance = await connector();
  const session: Record<string, unknown> = {};
  await instance.getAuthorizationUri(
    {
      state: 'state-1',
      redirectUri: 'https://logto.example.com/callback',
      connectorId: 'redaction-test',
      connectorFactoryId: 'redaction-test',
      jti: 'jti',
      headers: {},
    },
    async (value) => {
      Object.assign(session, value);
    },
  );
  return instance.getUserInfo({ code: 'code-1', state: 'state-1' }, async () => session);
};

/** The thrown `ConnectorError` as text (message and data), which must not hold `secret`. */
const errorText = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  const { message, data } = error as ConnectorError;
  return `${message} ${JSON.stringify(data)}`;
};

const tokensIssued = () =>
  http.post(tokenEndpoint, () =>
    HttpResponse.json({
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: 3600,
    }),
  );

describe('tokens met during a sign-in', () => {
  it('redacts the access token a userinfo endpoint echoes in its error body', async () => {
    server.use(
      tokensIssued(),
      http.get(userInfoEndpoint, () => echoingError(`Bearer ${accessToken}`, 400)),
    );
    const text = await errorText(signIn());
    // The echo reached the error (or the test would prove nothing), with the token replaced.
    expect(text).toContain('rejected Bearer');
    expect(text).not.toContain(accessToken);
  });

  it('redacts the refresh token a userinfo endpoint echoes in its error body', async () => {
    server.use(
      tokensIssued(),
      http.get(userInfoEndpoint, () => echoingError(refreshToken, 500)),
    );
    const text = await errorText(signIn());
    expect(text).toContain('rejected');
    expect(text).not.toContain(refreshToken);
  });
});

describe('the authorization code', () => {
  it('redacts the code a token endpoint echoes when it refuses it', async () => {
    server.use(http.post(tokenEndpoint, () => echoingError('code-1')));
    const text = await errorText(signIn());
    expect(text).toContain('rejected');
    expect(text).not.toContain('code-1');
  });
});

describe('tokens met during a refresh', () => {
  it('redacts the refresh token a token endpoint echoes in an invalid_grant answer', async () => {
    server.use(http.post(tokenEndpoint, () => echoingError(storedRefreshToken)));
    const instance = await connector();
    const text = await errorText(instance.getAccessTokenByRefreshToken!(storedRefreshToken));
    expect(text).toContain('rejected');
    expect(text).not.toContain(storedRefreshToken);
  });
});
