import { describeSocialConnectorFuzz } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { discoveryUrl, endpoints, jwksUri, resetCaches } from './gitlab-test-kit';
import createGitlabConnector from './index';

const clientSecret = 'fuzz-gitlab-client-secret-value';

// The default export, exactly as Logto loads it: msw answers at gitlab.com's real URLs.
describeSocialConnectorFuzz({
  connector: 'gitlab',
  create: async (config) =>
    (await createGitlabConnector({ getConfig: async () => config })) as SocialConnector,
  validConfig: { clientId: 'fuzz-client-id', clientSecret, scope: 'openid profile email' },
  secrets: [clientSecret],
  providerUrls: [
    endpoints.tokenEndpoint,
    endpoints.userInfoEndpoint,
    endpoints.apiUserEndpoint,
    discoveryUrl,
    jwksUri,
  ],
  // Discovery and keys are cached per process: every run starts cold.
  beforeEachRun: resetCaches,
  numRuns: 50,
});
