import { describeSocialConnectorFuzz } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { clearCaches, clientId, graphMe, login, tenantId } from './azuread-test-kit';
import createAzureAdConnector from './index';

const clientSecret = 'fuzz-azuread-client-secret-value';
const authority = `${login}/${tenantId}`;

// The default export, exactly as Logto loads it: msw answers at Microsoft's real URLs.
describeSocialConnectorFuzz({
  connector: 'azuread',
  create: async (config) =>
    (await createAzureAdConnector({ getConfig: async () => config })) as SocialConnector,
  validConfig: { clientId, clientSecret, cloudInstance: login, tenantId, scopes: 'email' },
  secrets: [clientSecret],
  providerUrls: [
    `${authority}/oauth2/v2.0/token`,
    `${authority}/discovery/v2.0/keys`,
    `${authority}/v2.0/.well-known/openid-configuration`,
    graphMe,
  ],
  beforeEachRun: clearCaches,
  // No `idToken` here: the shared property's tokens carry no `tid`, so none would verify;
  // graph-profile-fuzz.test.ts signs genuine Entra tokens and fuzzes Graph's answers instead.
  numRuns: 50,
});
