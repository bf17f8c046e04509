import { clearJwksCache } from '@idplug/base';
import { describeSocialConnectorFuzz } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { googleEndpoints } from './constants';
import createGoogleConnector from './index';

const clientSecret = 'fuzz-google-client-secret-value';

// The default export, exactly as Logto loads it: msw answers at Google's real URLs.
describeSocialConnectorFuzz({
  connector: 'google',
  create: async (config) =>
    (await createGoogleConnector({ getConfig: async () => config })) as SocialConnector,
  validConfig: {
    clientId: 'fuzz.apps.googleusercontent.com',
    clientSecret,
    scope: 'openid profile email',
    offlineAccess: true,
  },
  secrets: [clientSecret],
  providerUrls: [
    googleEndpoints.tokenEndpoint,
    googleEndpoints.userinfoEndpoint,
    googleEndpoints.jwksUri,
  ],
  // The key set is cached per process: every run starts cold.
  beforeEachRun: () => clearJwksCache(),
  idToken: {
    issuer: 'https://accounts.google.com',
    audience: 'fuzz.apps.googleusercontent.com',
    tokenEndpoint: googleEndpoints.tokenEndpoint,
    jwksUri: googleEndpoints.jwksUri,
  },
  numRuns: 50,
});
