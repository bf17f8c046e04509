import { describeIdTokenForgery } from '@idplug/testing';
import { endpoints, issuer, jwksUri, load, resetCaches } from './gitlab-test-kit';

// The default export against gitlab.com's real URLs; discovery names the JWKS.
describeIdTokenForgery({
  connector: 'gitlab',
  create: () => load({ clientId: 'forgery-client-id', scope: 'openid profile email' }),
  clientId: 'forgery-client-id',
  issuer,
  tokenEndpoint: endpoints.tokenEndpoint,
  jwksUri,
  userinfoEndpoint: endpoints.userInfoEndpoint,
  discoveryDocument: {
    issuer,
    authorization_endpoint: endpoints.authorizationEndpoint,
    token_endpoint: endpoints.tokenEndpoint,
    userinfo_endpoint: endpoints.userInfoEndpoint,
    jwks_uri: jwksUri,
  },
  beforeEachCase: resetCaches,
});
