import { ConnectorErrorCodes, ConnectorPlatform, type SocialConnector } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorError } from '../errors';
import { defineOAuthConnector } from './social-connector';

const server = setupServer(
  http.post('https://idp.example.com/token', async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    return form.get('code') === 'good'
      ? HttpResponse.json({ access_token: 'short-lived', expires_in: 3600 })
      : HttpResponse.json({ error: { code: 100, error_subcode: 36009 } }, { status: 400 });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const tokensSeenByFetchUserInfo: string[] = [];

const createConnector = defineOAuthConnector({
  metadata: {
    id: 'storage-test',
    target: 'storage-test',
    platform: ConnectorPlatform.Universal,
    name: { en: 'Storage test' },
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
    tokenEndpoint: 'https://idp.example.com/token',
    client: { clientId: config.clientId, method: 'client_secret_post', clientSecret: 'secret' },
    pkce: false,
    nonce: false,
    // A provider whose token errors are not RFC 6749 §5.2 errors.
    readProviderError: (body) => {
      const code = (body as { error?: { error_subcode?: number } }).error?.error_subcode;
      return code === 36009
        ? connectorError(ConnectorErrorCodes.SocialAuthCodeInvalid, 'The code was used')
        : undefined;
    },
  }),
  tokensForStorage: async (tokens) => ({ ...tokens, access_token: `${tokens.access_token}+long` }),
  fetchUserInfo: async ({ tokens }) => {
    tokensSeenByFetchUserInfo.push(tokens.access_token);
    return { id: 'user-1' };
  },
});

const session = async () => ({ redirectUri: 'https://logto.example.com/cb', state: 's' });

describe('token storage hooks', () => {
  it('swaps the tokens before fetchUserInfo only when Logto stores them', async () => {
    const connector = (await createConnector({
      getConfig: async () => ({ clientId: 'id' }),
    })) as SocialConnector;
    tokensSeenByFetchUserInfo.length = 0;
    await connector.getUserInfo({ code: 'good', state: 's' }, session);
    const stored = await connector.getTokenResponseAndUserInfo!(
      { code: 'good', state: 's' },
      session,
    );
    expect(tokensSeenByFetchUserInfo).toEqual(['short-lived', 'short-lived+long']);
    expect(stored.tokenResponse?.access_token).toBe('short-lived+long');
  });

  it("reads the provider's own token error format", async () => {
    const connector = (await createConnector({
      getConfig: async () => ({ clientId: 'id' }),
    })) as SocialConnector;
    await expect(
      connector.getUserInfo({ code: 'used', state: 's' }, session),
    ).rejects.toMatchObject({ code: 'social_auth_code_invalid' });
  });
});
