import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import {
  describeFaultMatrix,
  type HealthyProvider,
  startHealthyProvider,
  startSocialSignIn,
} from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import createOidcConnector from './index';

const secret = 'oidc-secret-3c2b1a0f9e8d7c6b5a49';
const refreshToken = 'rt-oidc-9f8e7d6c5b4a3921';
const clientId = 'fault-matrix-client';
const timeoutMs = 1000;

// A well-behaved provider for the legs before the faulty one (userinfo, JWKS).
let healthy: HealthyProvider;
let healthyUrl = '';
beforeAll(async () => {
  healthy = await startHealthyProvider({ clientId, claims: { email: 'ada@example.com' } });
  healthyUrl = healthy.url;
});
afterAll(async () => {
  await healthy.stop();
});

// Discovery documents and key sets are cached per process: every cell starts cold.
beforeEach(() => {
  clearDiscoveryCache();
  clearJwksCache();
});

const load = async (config: Record<string, unknown>, timeout = timeoutMs) =>
  (await createOidcConnector({
    getConfig: async () => ({ clientId, clientSecret: secret, timeout, ...config }),
  })) as SocialConnector;

const explicitEndpoints = (providerUrl: string) => ({
  authorizationEndpoint: `${providerUrl}/authorize`,
  tokenEndpoint: `${providerUrl}/token`,
  userInfoEndpoint: `${providerUrl}/userinfo`,
  idTokenVerificationConfig: { jwksUri: `${providerUrl}/jwks`, issuer: providerUrl },
});

const signIn = async (connector: SocialConnector) => {
  const { session } = await startSocialSignIn(connector, {
    state: 'state',
    redirectUri: 'https://logto.example.com/callback/oidc',
  });
  healthy.nonce = String(session.current.nonce);
  return connector.getUserInfo(
    { code: 'oidc-authorization-code-1234', state: 'state' },
    session.getSession,
  );
};

it('signs in against the healthy provider alone (the control for the faulty legs below)', async () => {
  const user = await signIn(await load(explicitEndpoints(healthyUrl)));
  expect(user).toMatchObject({ id: 'ada', name: 'Ada' });
});

describeFaultMatrix({
  connector: 'oidc',
  timeoutMs,
  secrets: [secret, refreshToken, 'healthy-access-token'],
  operations: [
    {
      // `issuer` only: the discovery document is the first request of a sign-in.
      name: 'discovery',
      run: async (providerUrl, timeout) => signIn(await load({ issuer: providerUrl }, timeout)),
    },
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) =>
        signIn(await load(explicitEndpoints(providerUrl), timeout)),
    },
    {
      // A client assertion signed with the secret: echoed back, it must not show.
      name: 'sign-in (client_secret_jwt)',
      run: async (providerUrl, timeout) =>
        signIn(
          await load(
            {
              ...explicitEndpoints(providerUrl),
              tokenEndpointAuthMethod: 'client_secret_jwt',
            },
            timeout,
          ),
        ),
    },
    {
      name: 'refresh',
      run: async (providerUrl, timeout) =>
        (await load(explicitEndpoints(providerUrl), timeout)).getAccessTokenByRefreshToken!(
          refreshToken,
        ),
    },
    {
      // A verified ID token, then the userinfo request meets the fault.
      name: 'userinfo',
      run: async (providerUrl, timeout) =>
        signIn(
          await load(
            {
              ...explicitEndpoints(healthyUrl),
              userInfoEndpoint: `${providerUrl}/userinfo`,
            },
            timeout,
          ),
        ),
    },
  ],
});

// The key set is downloaded through base's HTTP client, so its faults follow the error table too.
describeFaultMatrix({
  connector: 'oidc',
  timeoutMs,
  secrets: [secret, 'healthy-access-token'],
  operations: [
    {
      name: 'jwks',
      run: async (providerUrl, timeout) =>
        signIn(
          await load(
            {
              ...explicitEndpoints(healthyUrl),
              idTokenVerificationConfig: { jwksUri: `${providerUrl}/jwks`, issuer: healthyUrl },
            },
            timeout,
          ),
        ),
    },
  ],
});
