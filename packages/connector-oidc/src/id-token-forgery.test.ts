import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import { describeIdTokenForgery } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { describe } from 'vitest';
import createOidcConnector from './index';

const clientId = 'forgery-client';
const issuer = 'https://op.forgery.example.com';

const create = (config: Record<string, unknown>) => async () =>
  (await createOidcConnector({
    getConfig: async () => ({ clientId, clientSecret: 'forgery-client-secret', ...config }),
  })) as SocialConnector;

const beforeEachCase = () => {
  clearJwksCache();
  clearDiscoveryCache();
};

describe('with discovery', () => {
  describeIdTokenForgery({
    connector: 'oidc',
    create: create({ issuer }),
    discoveryDocument: {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    },
    clientId,
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    userinfoEndpoint: `${issuer}/userinfo`,
    extraClaims: { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' },
    beforeEachCase,
  });
});

// An official config: endpoints and `idTokenVerificationConfig` (jwksUri, issuer, the algorithms
// jose was given, HS256 included), no `issuer` at the top level.
describe('with an official-style config that lists HS256', () => {
  describeIdTokenForgery({
    connector: 'oidc (official config)',
    create: create({
      authorizationEndpoint: `${issuer}/authorize`,
      tokenEndpoint: `${issuer}/token`,
      idTokenVerificationConfig: {
        jwksUri: `${issuer}/jwks`,
        issuer,
        algorithms: ['RS256', 'HS256', 'none'],
      },
    }),
    clientId,
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    extraClaims: { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' },
    beforeEachCase,
  });
});
