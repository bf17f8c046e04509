import {
  completeSocialSignIn,
  describeFaultMatrix,
  type HealthyProvider,
  startHealthyProvider,
} from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import createOAuth2Connector from './index';

const secret = 'fault-matrix-oauth2-client-secret';
const refreshToken = 'fault-matrix-oauth2-refresh-token';
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
const load = async (providerUrl: string, tokenProviderUrl = providerUrl) =>
  (await createOAuth2Connector({
    getConfig: async () => ({
      authorizationEndpoint: `${providerUrl}/authorize`,
      tokenEndpoint: `${tokenProviderUrl}/token`,
      userInfoEndpoint: `${providerUrl}/userinfo`,
      clientId: 'fault-matrix-client',
      clientSecret: secret,
      timeout: timeoutMs,
    }),
  })) as SocialConnector;

const signIn = (connector: SocialConnector) =>
  completeSocialSignIn(
    connector,
    { code: 'code', state: 'state' },
    { state: 'state', redirectUri: 'https://logto.example.com/callback/oauth2' },
  );

it('signs in against the healthy provider alone (the control for the userinfo leg)', async () => {
  const user = await signIn(await load(healthy.url));
  expect(user).toMatchObject({ id: 'ada', name: 'Ada' });
});

describeFaultMatrix({
  connector: 'oauth2',
  timeoutMs,
  secrets: [secret, refreshToken, 'healthy-access-token'],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl) => signIn(await load(providerUrl)),
    },
    {
      // The code exchange succeeds; the profile request meets the fault.
      name: 'userinfo',
      run: async (providerUrl) => signIn(await load(providerUrl, healthy.url)),
    },
    {
      name: 'refresh',
      run: async (providerUrl) =>
        (await load(providerUrl)).getAccessTokenByRefreshToken!(refreshToken),
    },
  ],
});
