import {
  clientSecretCredentials,
  connectorError,
  defineOAuthConnector,
  formatZodError,
  type HttpClient,
} from '@idplug/base';
import {
  ConnectorErrorCodes,
  type CreateConnector,
  type SocialConnector,
} from '@logto/connector-kit';
import { discordConfigGuard } from './config';
import {
  type DiscordEndpoints,
  defaultScope,
  discordEndpoints,
  guildsScope,
  metadata,
} from './constants';
import { readDiscordError } from './errors';
import { discordGuildsGuard, discordUserGuard, toSocialUserInfo } from './profile';

export type DiscordConnectorOptions = {
  /** Other endpoints, for a local emulator (the playground); the default export never sets this. */
  endpoints?: Partial<DiscordEndpoints>;
};

const getJson = async (http: HttpClient, url: string, accessToken: string) =>
  (
    await http.request({
      url,
      purpose: 'userinfo',
      headers: { authorization: `Bearer ${accessToken}` },
      readProviderError: readDiscordError,
    })
  ).body;

/** The guild ids, when the user granted `guilds` (Discord echoes the granted scopes). */
const fetchGuildIds = async (
  http: HttpClient,
  url: string,
  accessToken: string,
): Promise<string[]> => {
  const parsed = discordGuildsGuard.safeParse(await getJson(http, url, accessToken));
  if (!parsed.success) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `Discord's guild list is not usable: ${formatZodError(parsed.error)}`,
      { provider: 'Discord' },
    );
  }
  return parsed.data.map((guild) => guild.id);
};

/** Discord sign-in (OAuth 2.0 code flow, `identify email`), optionally against other endpoints. */
export const configureDiscordConnector = (
  options: DiscordConnectorOptions = {},
): CreateConnector<SocialConnector> => {
  const endpoints = { ...discordEndpoints, ...options.endpoints };
  return defineOAuthConnector({
    metadata,
    configGuard: discordConfigGuard,
    providerName: 'Discord',
    resolveProvider: (config) => ({
      ...endpoints,
      // The official connector sends the credentials in the form (client_secret_post).
      client: clientSecretCredentials(config, 'client_secret_post'),
      scope: config.scope?.trim() || defaultScope,
      pkce: false,
      nonce: false,
    }),
    fetchUserInfo: async ({ http, provider, tokens }) => {
      const wantsGuilds = (tokens.scope ?? '').split(/\s+/).includes(guildsScope);
      const [user, guildIds] = await Promise.all([
        getJson(http, provider.userEndpoint, tokens.access_token),
        wantsGuilds ? fetchGuildIds(http, provider.guildsEndpoint, tokens.access_token) : undefined,
      ]);
      const parsed = discordUserGuard.safeParse(user);
      if (!parsed.success) {
        throw connectorError(
          ConnectorErrorCodes.InvalidResponse,
          `Discord's /users/@me answer is not usable: ${formatZodError(parsed.error)}`,
          { provider: 'Discord' },
        );
      }
      return toSocialUserInfo(parsed.data, provider.cdnBaseUrl, guildIds);
    },
  });
};

/** The connector Logto loads: Discord's real endpoints, always. */
const createDiscordConnector: CreateConnector<SocialConnector> = configureDiscordConnector();

export default createDiscordConnector;
