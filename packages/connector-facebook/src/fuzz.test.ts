import { describeSocialConnectorFuzz } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { defaultApiVersion, facebookEndpoints, facebookHosts } from './constants';
import createFacebookConnector from './index';

const clientSecret = 'fuzz-facebook-app-secret-value';
const endpoints = facebookEndpoints(facebookHosts, defaultApiVersion);

// The default export, exactly as Logto loads it: msw answers at Facebook's real URLs.
describeSocialConnectorFuzz({
  connector: 'facebook',
  create: async (config) =>
    (await createFacebookConnector({ getConfig: async () => config })) as SocialConnector,
  validConfig: { clientId: '1234567890', clientSecret, scope: 'email,public_profile' },
  secrets: [clientSecret],
  providerUrls: [endpoints.tokenEndpoint, endpoints.meEndpoint],
  numRuns: 50,
});
