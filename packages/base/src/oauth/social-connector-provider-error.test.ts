import { ConnectorError, ConnectorErrorCodes, ConnectorPlatform } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorError } from '../errors';
import { defineOAuthConnector } from './social-connector';

const tokenEndpoint = 'https://idp.example.com/token';

/** A provider whose error table says `invalid_grant` + `E42` is a person who may not sign in. */
const readProviderError = (body: unknown) =>
  body &&
  typeof body === 'object' &&
  String((body as Record<string, unknown>).error_description).startsWith('E42')
    ? connectorError(ConnectorErrorCodes.AuthorizationFailed, 'not allowed here')
    : undefined;

const createConnector = defineOAuthConnector({
  metadata: {
    id: 'provider-error-test',
    target: 'provider-error-test',
    platform: ConnectorPlatform.Universal,
    name: { en: 'Provider error test' },
    logo: './logo.svg',
    logoDark: null,
    description: { en: 'A connector for tests' },
    readme: './README.md',
    formItems: [],
    isTokenStorageSupported: true,
  },
  configGuard: z.object({ clientId: z.string() }),
  providerName: 'Example',
  resolveProvider: (config) => ({
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint,
    client: { clientId: config.clientId, method: 'client_secret_post', clientSecret: 'secret' },
    pkce: false,
    nonce: false,
    readProviderError,
  }),
  fetchUserInfo: async () => ({ id: 'user' }),
});

const server = setupServer(
  http.post(tokenEndpoint, () =>
    HttpResponse.json(
      { error: 'invalid_grant', error_description: 'E42: not a member' },
      { status: 400 },
    ),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const codeOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return (error as ConnectorError).code;
};

const connector = () => createConnector({ getConfig: async () => ({ clientId: 'client' }) });
const session = async () => ({ redirectUri: 'https://logto.example.com/callback' });

describe("a provider's own error table (readProviderError)", () => {
  it('decides the code of a token error before the OAuth mapping', async () => {
    expect(await codeOf((await connector()).getUserInfo({ code: 'code' }, session))).toBe(
      ConnectorErrorCodes.AuthorizationFailed,
    );
  });

  it('decides the code of a refresh error too', async () => {
    const refresh = (await connector()).getAccessTokenByRefreshToken!('refresh-token');
    expect(await codeOf(refresh)).toBe(ConnectorErrorCodes.AuthorizationFailed);
  });

  it('decides the code of an error callback', async () => {
    const callback = { error: 'access_denied', error_description: 'E42: not a member' };
    expect(await codeOf((await connector()).getUserInfo(callback, session))).toBe(
      ConnectorErrorCodes.AuthorizationFailed,
    );
  });

  it('leaves errors it does not know to the OAuth mapping', async () => {
    server.use(
      http.post(tokenEndpoint, () =>
        HttpResponse.json(
          { error: 'invalid_grant', error_description: 'expired' },
          { status: 400 },
        ),
      ),
    );
    expect(await codeOf((await connector()).getUserInfo({ code: 'code' }, session))).toBe(
      ConnectorErrorCodes.SocialAuthCodeInvalid,
    );
  });
});
