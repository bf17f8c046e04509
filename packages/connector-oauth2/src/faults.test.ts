import {
  completeSocialSignIn,
  describeFaultMatrix,
  type HealthyProvider,
  startHealthyProvider,
} from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import createOAuth2Connector from './index';

const secret = 'oauth2-secret-7d1e0c9b8a7f6e5d';
const refreshToken = 'rt-oauth2-5e4d3c2b1a09f8e7';
const timeoutMs = 1000;

// A well-behaved token endpoint for the userinfo leg.
let healthy: HealthyProvider;
beforeAll(async () => {
  healthy = await startHealthyProvider({
    clientId: 'fault-matrix-client',
    userinfo: { id: 'ada', name: 'Ada' },
  });
});
afterAll(async () => {
  await healthy.stop();
});

// Every configured endpoint is the misbehaving provider, unless another serves the token.
const load = async (
  providerUrl: string,
  timeout: number,
  tokenProviderUrl = providerUrl,
  tokenEndpointAuthMethod = 'client_secret_post',
) =>
  (await createOAuth2Connector({
    getConfig: async () => ({
      authorizationEndpoint: `${providerUrl}/authorize`,
      tokenEndpoint: `${tokenProviderUrl}/token`,
      userInfoEndpoint: `${providerUrl}/userinfo`,
      clientId: 'fault-matrix-client',
      clientSecret: secret,
      tokenEndpointAuthMethod,
      timeout,
    }),
  })) as SocialConnector;

const signIn = (connector: SocialConnector) =>
  completeSocialSignIn(
    connector,
    { code: 'oauth2-authorization-code-1234', state: 'state' },
    { state: 'state', redirectUri: 'https://logto.example.com/callback/oauth2' },
  );

it('signs in against the healthy provider alone (the control for the userinfo leg)', async () => {
  const user = await signIn(await load(healthy.url, timeoutMs));
  expect(user).toMatchObject({ id: 'ada', name: 'Ada' });
});

describeFaultMatrix({
  connector: 'oauth2',
  timeoutMs,
  secrets: [secret, refreshToken, 'healthy-access-token'],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) => signIn(await load(providerUrl, timeout)),
    },
    {
      // The secret travels in a Basic header: echoed back, it must not show even encoded.
      name: 'sign-in (client_secret_basic)',
      run: async (providerUrl, timeout) =>
        signIn(await load(providerUrl, timeout, providerUrl, 'client_secret_basic')),
    },
    {
      // The code exchange succeeds; the profile request meets the fault.
      name: 'userinfo',
      run: async (providerUrl, timeout) => signIn(await load(providerUrl, timeout, healthy.url)),
    },
    {
      name: 'refresh',
      run: async (providerUrl, timeout) =>
        (await load(providerUrl, timeout)).getAccessTokenByRefreshToken!(refreshToken),
    },
  ],
});
