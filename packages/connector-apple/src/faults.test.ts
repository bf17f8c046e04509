import { clearJwksCache } from '@idplug/base';
import { completeSocialSignIn, describeFaultMatrix } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { exportPKCS8, generateKeyPair } from 'jose';
import { beforeEach } from 'vitest';
import { appleClaims, createSigningKey, signIdToken } from './apple-test-kit';
import { clearClientSecretCache } from './client-secret';
import { configureAppleConnector } from './index';

const timeoutMs = 1000;
const privateKey = generateKeyPair('ES256', { extractable: true }).then(({ privateKey: key }) =>
  exportPKCS8(key),
);
const refreshToken = 'r0123456789abcdef.0.fault.refresh';

// Every Apple endpoint, JWKS included, pointed at the misbehaving provider.
const load = async (providerUrl: string, withKey: boolean, timeout: number) =>
  (await configureAppleConnector({
    timeoutMs: timeout,
    endpoints: {
      authorizationEndpoint: `${providerUrl}/auth/authorize`,
      tokenEndpoint: `${providerUrl}/auth/token`,
      jwksUri: `${providerUrl}/auth/keys`,
    },
  })({
    getConfig: async () => ({
      clientId: 'com.example.web',
      scope: 'name email',
      ...(withKey && { teamId: 'ABCDE12345', keyId: 'KEY1234567', privateKey: await privateKey }),
    }),
  })) as SocialConnector;

// The JWKS of a previous cell must not answer for this one.
beforeEach(() => {
  clearJwksCache();
  clearClientSecretCache();
});

describeFaultMatrix({
  connector: 'apple code flow',
  timeoutMs,
  secrets: [refreshToken, 'BEGIN PRIVATE KEY'],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) =>
        completeSocialSignIn(
          await load(providerUrl, true, timeout),
          { code: 'c0de', state: 's' },
          { state: 's', redirectUri: 'http://127.0.0.1/cb' },
        ),
    },
    {
      name: 'refresh',
      run: async (providerUrl, timeout) =>
        (await load(providerUrl, true, timeout)).getAccessTokenByRefreshToken!(refreshToken),
    },
  ],
});

// A genuine-looking token: the key download is what fails, through base's HTTP client, so every
// fault follows the error table and none of them is blamed on the token.
const idToken = createSigningKey().then((key) => signIdToken(key, appleClaims()));

describeFaultMatrix({
  connector: 'apple ID token only',
  timeoutMs,
  secrets: [],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) =>
        (await load(providerUrl, false, timeout)).getUserInfo(
          { id_token: await idToken },
          async () => ({}),
        ),
    },
  ],
});
