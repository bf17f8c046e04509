import { completeSocialSignIn, describeFaultMatrix } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { configureDiscordConnector } from './index';

const secret = 'fault-matrix-client-secret';
const timeoutMs = 1000;

// Every Discord endpoint pointed at the misbehaving provider.
const load = async (providerUrl: string, timeout: number) =>
  (await configureDiscordConnector({
    endpoints: {
      authorizationEndpoint: `${providerUrl}/oauth2/authorize`,
      tokenEndpoint: `${providerUrl}/api/v10/oauth2/token`,
      userEndpoint: `${providerUrl}/api/v10/users/@me`,
      guildsEndpoint: `${providerUrl}/api/v10/users/@me/guilds`,
    },
  })({
    getConfig: async () => ({ clientId: 'id', clientSecret: secret, timeout }),
  })) as SocialConnector;

describeFaultMatrix({
  connector: 'discord',
  timeoutMs,
  secrets: [secret, 'discord-refresh-token-value'],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) =>
        completeSocialSignIn(
          await load(providerUrl, timeout),
          { code: 'code' },
          { state: 's', redirectUri: 'http://127.0.0.1/cb' },
        ),
    },
    {
      name: 'refresh',
      run: async (providerUrl, timeout) =>
        (await load(providerUrl, timeout)).getAccessTokenByRefreshToken!(
          'discord-refresh-token-value',
        ),
    },
  ],
});
