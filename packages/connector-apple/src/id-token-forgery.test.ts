import { clearJwksCache } from '@idplug/base';
import { describeIdTokenForgery } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { appleEndpoints } from './constants';
import createAppleConnector from './index';

const clientId = 'com.example.forgery.web';
const extraClaims = { email: 'ada@example.com', email_verified: 'true' };

// One suite per file: each starts its own msw server.
// The official config: the ID token Apple posts in the callback is the whole sign-in.
describeIdTokenForgery({
  connector: 'apple (ID token only)',
  create: async () =>
    (await createAppleConnector({
      getConfig: async () => ({ clientId, scope: 'name email' }),
    })) as SocialConnector,
  clientId,
  issuer: appleEndpoints.issuer,
  jwksUri: appleEndpoints.jwksUri,
  idTokenIn: 'callback',
  extraClaims,
  beforeEachCase: () => clearJwksCache(),
});
