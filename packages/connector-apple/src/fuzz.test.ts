import { generateKeyPairSync } from 'node:crypto';
import { clearJwksCache } from '@idplug/base';
import { describeSocialConnectorFuzz } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { clearClientSecretCache } from './client-secret';
import { appleEndpoints } from './constants';
import createAppleConnector from './index';

const clientId = 'com.example.fuzz.web';
const privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const create = async (config: unknown) =>
  (await createAppleConnector({ getConfig: async () => config })) as SocialConnector;
const resetCaches = () => {
  clearJwksCache();
  clearClientSecretCache();
};

// With a signing key: the code flow, msw answering at Apple's real URLs.
describeSocialConnectorFuzz({
  connector: 'apple code flow',
  create,
  validConfig: {
    clientId,
    scope: 'name email',
    teamId: 'ABCDE12345',
    keyId: 'KEY1234567',
    privateKey,
  },
  secrets: [privateKey],
  providerUrls: [appleEndpoints.tokenEndpoint, appleEndpoints.jwksUri],
  beforeEachRun: resetCaches,
  idToken: {
    issuer: appleEndpoints.issuer,
    audience: clientId,
    tokenEndpoint: appleEndpoints.tokenEndpoint,
    jwksUri: appleEndpoints.jwksUri,
  },
  numRuns: 30,
});
