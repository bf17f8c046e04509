import { ConnectorPlatform } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineOAuthConnector, withRequiredScopes } from './social-connector';

const configGuard = z.object({ clientId: z.string(), clientSecret: z.string() });

const createConnector = defineOAuthConnector({
  metadata: {
    id: 'request-test',
    target: 'request-test',
    platform: ConnectorPlatform.Universal,
    name: { en: 'Request test' },
    logo: './logo.svg',
    logoDark: null,
    description: { en: 'A connector for tests' },
    readme: './README.md',
    formItems: [],
  },
  configGuard,
  providerName: 'Example',
  resolveProvider: (config) => ({
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint: 'https://idp.example.com/token',
    client: { clientId: config.clientId, method: 'client_secret_post', clientSecret: 'x' },
    scope: 'profile',
    requiredScopes: ['openid'],
    pkce: true,
    nonce: true,
    authorizationParameters: { prompt: 'consent' },
  }),
  authorizationRequestParameters: (request) => ({
    login_hint: typeof request.loginHint === 'string' ? request.loginHint : undefined,
    // A hook can never take over the flow's protected parameters.
    state: 'attacker-state',
    redirect_uri: 'https://attacker.example.com',
  }),
  fetchUserInfo: async () => ({ id: 'unused' }),
});

const authorizationUrl = async (extra: Record<string, unknown> = {}) => {
  const connector = await createConnector({
    getConfig: async () => ({ clientId: 'client-id', clientSecret: 'client-secret-value' }),
  });
  const session: Record<string, unknown> = {};
  const url = await connector.getAuthorizationUri(
    {
      state: 'state-1',
      redirectUri: 'https://logto.example.com/callback',
      connectorId: 'request-test',
      connectorFactoryId: 'request-test',
      jti: 'jti',
      headers: {},
      ...extra,
    },
    async (value) => {
      Object.assign(session, value);
    },
  );
  return new URL(url).searchParams;
};

describe('authorization request parameters from the caller', () => {
  it('passes a per-request parameter from the hook into the authorization URL', async () => {
    const query = await authorizationUrl({ loginHint: 'ada@example.com' });
    expect(query.get('login_hint')).toBe('ada@example.com');
    expect(query.get('prompt')).toBe('consent');
  });

  it('never lets the hook override state or redirect_uri', async () => {
    const query = await authorizationUrl({ loginHint: 'ada@example.com' });
    expect(query.get('state')).toBe('state-1');
    expect(query.get('redirect_uri')).toBe('https://logto.example.com/callback');
  });

  it('adds required scopes to the default scope and to a scope named by the request', async () => {
    expect((await authorizationUrl()).get('scope')).toBe('openid profile');
    expect((await authorizationUrl({ scope: 'email openid' })).get('scope')).toBe('email openid');
    expect((await authorizationUrl({ scope: 'https://example.com/read' })).get('scope')).toBe(
      'openid https://example.com/read',
    );
  });
});

describe('withRequiredScopes', () => {
  it('returns the scope unchanged when nothing is required', () => {
    expect(withRequiredScopes('a b', undefined)).toBe('a b');
    expect(withRequiredScopes(undefined, [])).toBeUndefined();
  });

  it('adds each missing required scope once, in front', () => {
    expect(withRequiredScopes(undefined, ['openid'])).toBe('openid');
    expect(withRequiredScopes('  email   profile ', ['openid', 'email'])).toBe(
      'openid email profile',
    );
  });
});
