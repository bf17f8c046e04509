import { clearJwksCache } from '@idplug/base';
import { completeSocialSignIn, describeFaultMatrix } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { beforeEach } from 'vitest';
import { createSigningKey, googleClaims, signIdToken } from './google-test-kit';
import { configureGoogleConnector } from './index';

const secret = 'GOCSPX-fault-matrix-secret-value';
const timeoutMs = 1000;

// Every Google endpoint, JWKS included, pointed at the misbehaving provider.
const load = async (providerUrl: string, timeout: number) =>
  (await configureGoogleConnector({
    timeoutMs: timeout,
    endpoints: {
      authorizationEndpoint: `${providerUrl}/o/oauth2/v2/auth`,
      tokenEndpoint: `${providerUrl}/token`,
      userinfoEndpoint: `${providerUrl}/v1/userinfo`,
      jwksUri: `${providerUrl}/oauth2/v3/certs`,
    },
  })({
    getConfig: async () => ({ clientId: 'id', clientSecret: secret }),
  })) as SocialConnector;

// The JWKS of a previous cell must not answer for this one.
beforeEach(() => clearJwksCache());

describeFaultMatrix({
  connector: 'google',
  timeoutMs,
  secrets: [secret, '1//refresh-token-value'],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) => {
        const connector = await load(providerUrl, timeout);
        return completeSocialSignIn(
          connector,
          { code: '4/0Afault-matrix-authorization-code' },
          { state: 's', redirectUri: 'http://127.0.0.1/cb' },
        );
      },
    },
    {
      name: 'refresh',
      run: async (providerUrl, timeout) =>
        (await load(providerUrl, timeout)).getAccessTokenByRefreshToken!('1//refresh-token-value'),
    },
  ],
});

const credential = createSigningKey().then((key) => signIdToken(key, googleClaims({ aud: 'id' })));

describeFaultMatrix({
  connector: 'google one-tap',
  timeoutMs,
  secrets: [secret],
  // The key set is downloaded through base's HTTP client, so every fault follows the error table:
  // none of them is the credential's fault.
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) =>
        (await load(providerUrl, timeout)).getUserInfo(
          { credential: await credential },
          async () => ({}),
        ),
    },
  ],
});
