import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import { describeSocialConnectorFuzz } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { describe } from 'vitest';
import createOidcConnector from './index';

const clientSecret = 'fuzz-oidc-client-secret-value';
const issuer = 'https://fuzz.oidc.example.com';
const create = async (config: unknown) =>
  (await createOidcConnector({ getConfig: async () => config })) as SocialConnector;
// Key sets and discovery documents are cached per process: every run starts cold.
const beforeEachRun = () => {
  clearJwksCache();
  clearDiscoveryCache();
};

describe('explicit endpoints', () => {
  describeSocialConnectorFuzz({
    connector: 'oidc',
    create,
    validConfig: {
      authorizationEndpoint: `${issuer}/authorize`,
      tokenEndpoint: `${issuer}/token`,
      userInfoEndpoint: `${issuer}/userinfo`,
      clientId: 'fuzz-client',
      clientSecret,
      idTokenVerificationConfig: { jwksUri: `${issuer}/jwks`, issuer },
      timeout: 2000,
    },
    secrets: [clientSecret],
    providerUrls: [`${issuer}/token`, `${issuer}/userinfo`, `${issuer}/jwks`],
    beforeEachRun,
    idToken: {
      issuer,
      audience: 'fuzz-client',
      tokenEndpoint: `${issuer}/token`,
      jwksUri: `${issuer}/jwks`,
    },
    numRuns: 50,
    profileMapKey: 'profileMap',
  });
});

describe('discovery', () => {
  describeSocialConnectorFuzz({
    connector: 'oidc',
    create,
    validConfig: {
      issuer,
      clientId: 'fuzz-client',
      clientSecret,
      tokenEndpointAuthMethod: 'client_secret_jwt',
      timeout: 2000,
    },
    secrets: [clientSecret],
    providerUrls: [
      `${issuer}/.well-known/openid-configuration`,
      `${issuer}/token`,
      `${issuer}/userinfo`,
      `${issuer}/jwks`,
    ],
    beforeEachRun,
    numRuns: 30,
    profileMapKey: 'profileMap',
  });
});
