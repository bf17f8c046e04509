import { ConnectorError, ConnectorErrorCodes, ConnectorPlatform } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorError } from '../errors';
import { defineOAuthConnector } from './social-connector';

/**
 * The provider hooks Apple needs from the shared flow: a `response_type` other than `code`, the
 * provider's own reading of token endpoint errors, and the session for a direct sign-in.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const tokenEndpoint = 'https://idp.example.com/token';
const seenSessions: unknown[] = [];

const createConnector = defineOAuthConnector({
  metadata: {
    id: 'hooks-test',
    target: 'hooks-test',
    platform: ConnectorPlatform.Universal,
    name: { en: 'Hooks test' },
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
    nonce: true,
    responseType: 'code id_token',
    // An extra can never replace the response type the provider object chose.
    authorizationParameters: { response_type: 'token' },
    readProviderError: (body) =>
      (body as { error?: unknown }).error === 'invalid_client'
        ? connectorError(ConnectorErrorCodes.InvalidConfig, 'check the client id', {
            hint: 'the provider hint',
          })
        : undefined,
  }),
  directSignIn: async (data, { getSession }) => {
    if (data.direct !== 'yes') {
      return undefined;
    }
    seenSessions.push(await getSession?.());
    return { id: 'direct-user' };
  },
  fetchUserInfo: async () => ({ id: 'code-user' }),
});

const connectorFor = () => createConnector({ getConfig: async () => ({ clientId: 'client-id' }) });

describe('provider hooks of defineOAuthConnector', () => {
  it('sends the response type the provider object names', async () => {
    const connector = await connectorFor();
    const url = await connector.getAuthorizationUri(
      {
        state: 's',
        redirectUri: 'https://logto.example.com/callback',
        connectorId: 'hooks-test',
        connectorFactoryId: 'hooks-test',
        jti: 'jti',
        headers: {},
      },
      async () => undefined,
    );
    expect(new URL(url).searchParams.get('response_type')).toBe('code id_token');
  });

  it('hands the direct sign-in the session of the callback', async () => {
    const connector = await connectorFor();
    const user = await connector.getUserInfo({ direct: 'yes' }, async () => ({ nonce: 'n-1' }));
    expect(user.id).toBe('direct-user');
    expect(seenSessions.at(-1)).toEqual({ nonce: 'n-1' });
  });

  it('lets the provider read its own token endpoint errors, for the code and the refresh', async () => {
    server.use(
      http.post(tokenEndpoint, () =>
        HttpResponse.json({ error: 'invalid_client' }, { status: 400 }),
      ),
    );
    const connector = await connectorFor();
    const session = async () => ({ redirectUri: 'https://logto.example.com/callback' });
    for (const attempt of [
      () => connector.getUserInfo({ code: 'c' }, session),
      () => connector.getAccessTokenByRefreshToken!('refresh-value'),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code).toBe('invalid_config');
      expect((error as ConnectorError).data).toMatchObject({ hint: 'the provider hint' });
    }
  });
});
