import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import { describeIdTokenForgery } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { describe } from 'vitest';
import createOidcConnector from './index';

const clientId = 'forgery-client';
const clientSecret = 'forgery-client-secret';
const issuer = 'https://op.forgery.example.com';
const discoveryDocument = {
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  userinfo_endpoint: `${issuer}/userinfo`,
  jwks_uri: `${issuer}/jwks`,
  response_types_supported: ['code'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
};
const providerApi = 'https://api.op.forgery.example.com';

const create = (config: Record<string, unknown>) => async () =>
  (await createOidcConnector({
    getConfig: async () => ({ clientId, clientSecret, ...config }),
  })) as SocialConnector;

const beforeEachCase = () => {
  clearJwksCache();
  clearDiscoveryCache();
};

describe('with discovery', () => {
  describeIdTokenForgery({
    connector: 'oidc',
    create: create({ issuer }),
    discoveryDocument,
    clientId,
    clientSecret,
    trustedAudience: {
      audience: providerApi,
      create: create({ issuer, trustedAudiences: [providerApi] }),
    },
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    userinfoEndpoint: `${issuer}/userinfo`,
    extraClaims: { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' },
    beforeEachCase,
  });
});

// RFC 9207 §2.4: this provider announces `iss` in every authorization response.
describe('with discovery announcing the iss parameter', () => {
  describeIdTokenForgery({
    connector: 'oidc (RFC 9207 provider)',
    create: create({ issuer }),
    discoveryDocument: {
      ...discoveryDocument,
      authorization_response_iss_parameter_supported: true,
    },
    clientId,
    clientSecret,
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    userinfoEndpoint: `${issuer}/userinfo`,
    extraClaims: { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' },
    beforeEachCase,
  });
});

// An official config: endpoints and `idTokenVerificationConfig` (jwksUri, issuer, the algorithms
// jose was given, HS256 included), no `issuer` at the top level. Listing HS256 is the opt-in of
// OIDC Core §10.1: a token keyed with the client secret signs in, one keyed with the public key
// (alg confusion) still fails.
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
    clientSecret,
    hmacListed: true,
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    extraClaims: { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' },
    beforeEachCase,
  });
});
