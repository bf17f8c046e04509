import { describeSocialConnectorFuzz } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { githubDotComEndpoints } from './constants';
import createGithubConnector from './index';

const clientSecret = 'fuzz-github-client-secret-value';

// The default export, exactly as Logto loads it: msw answers at GitHub's real URLs.
describeSocialConnectorFuzz({
  connector: 'github',
  create: async (config) =>
    (await createGithubConnector({ getConfig: async () => config })) as SocialConnector,
  validConfig: { clientId: 'fuzz-client-id', clientSecret, scope: 'read:user user:email' },
  secrets: [clientSecret],
  providerUrls: [
    githubDotComEndpoints.tokenEndpoint,
    githubDotComEndpoints.userEndpoint,
    githubDotComEndpoints.emailsEndpoint,
  ],
  numRuns: 50,
});
