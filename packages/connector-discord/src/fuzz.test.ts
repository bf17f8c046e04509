import { describeSocialConnectorFuzz } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { discordEndpoints } from './constants';
import createDiscordConnector from './index';

const clientSecret = 'fuzz-discord-client-secret-value';

// The default export, exactly as Logto loads it: msw answers at Discord's real URLs.
describeSocialConnectorFuzz({
  connector: 'discord',
  create: async (config) =>
    (await createDiscordConnector({ getConfig: async () => config })) as SocialConnector,
  validConfig: { clientId: 'fuzz-client-id', clientSecret, scope: 'identify email guilds' },
  secrets: [clientSecret],
  providerUrls: [
    discordEndpoints.tokenEndpoint,
    discordEndpoints.userEndpoint,
    discordEndpoints.guildsEndpoint,
  ],
  numRuns: 50,
});
