import { clearJwksCache } from '@idplug/base';
import { describeIdTokenForgery } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { exportPKCS8, generateKeyPair } from 'jose';
import { clearClientSecretCache } from './client-secret';
import { appleEndpoints } from './constants';
import createAppleConnector from './index';

const clientId = 'com.example.forgery.web';
const extraClaims = { email: 'ada@example.com', email_verified: 'true' };
const signingKey = generateKeyPair('ES256', { extractable: true }).then(({ privateKey }) =>
  exportPKCS8(privateKey),
);

// With a signing key: the ID token of the code exchange's answer.
describeIdTokenForgery({
  connector: 'apple (code flow)',
  create: async () =>
    (await createAppleConnector({
      getConfig: async () => ({
        clientId,
        scope: 'name email',
        teamId: 'ABCDE12345',
        keyId: 'KEY1234567',
        privateKey: await signingKey,
      }),
    })) as SocialConnector,
  clientId,
  issuer: appleEndpoints.issuer,
  tokenEndpoint: appleEndpoints.tokenEndpoint,
  jwksUri: appleEndpoints.jwksUri,
  extraClaims,
  beforeEachCase: () => {
    clearJwksCache();
    clearClientSecretCache();
  },
});
