import { describeSocialConnectorFuzz } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import createOAuth2Connector from './index';

const clientSecret = 'fuzz-oauth2-client-secret-value';
const provider = 'https://fuzz.oauth2.example.com';

describeSocialConnectorFuzz({
  connector: 'oauth2',
  create: async (config) =>
    (await createOAuth2Connector({ getConfig: async () => config })) as SocialConnector,
  validConfig: {
    authorizationEndpoint: `${provider}/authorize`,
    tokenEndpoint: `${provider}/token`,
    userInfoEndpoint: `${provider}/userinfo`,
    clientId: 'fuzz-client',
    clientSecret,
    tokenEndpointAuthMethod: 'client_secret_basic',
    scope: 'profile email',
    profileMap: { id: 'sub' },
    timeout: 2000,
  },
  secrets: [clientSecret],
  providerUrls: [`${provider}/token`, `${provider}/userinfo`],
  numRuns: 60,
  profileMapKey: 'profileMap',
});
