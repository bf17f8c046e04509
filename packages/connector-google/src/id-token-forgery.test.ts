import { clearJwksCache } from '@idplug/base';
import { describeIdTokenForgery } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { googleEndpoints } from './constants';
import createGoogleConnector from './index';

const clientId = 'forgery.apps.googleusercontent.com';

// The default export, exactly as Logto loads it; msw answers at Google's real URLs.
describeIdTokenForgery({
  connector: 'google',
  create: async () =>
    (await createGoogleConnector({
      getConfig: async () => ({ clientId, clientSecret: 'forgery-client-secret' }),
    })) as SocialConnector,
  clientId,
  clientSecret: 'forgery-client-secret',
  issuer: 'https://accounts.google.com',
  tokenEndpoint: googleEndpoints.tokenEndpoint,
  jwksUri: googleEndpoints.jwksUri,
  userinfoEndpoint: googleEndpoints.userinfoEndpoint,
  extraClaims: { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' },
  beforeEachCase: () => clearJwksCache(),
});
