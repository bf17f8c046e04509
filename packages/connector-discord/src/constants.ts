import { clientCredentialFormItems, scopeFormItem } from '@idplug/base';
import { type ConnectorMetadata, ConnectorPlatform } from '@logto/connector-kit';

/** Logto's official Discord connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'discord-universal',
  target: 'discord',
  platform: ConnectorPlatform.Universal,
  name: { en: 'Discord' },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Sign in with a Discord account.',
    'zh-CN': '使用 Discord 账号登录。',
    'tr-TR': 'Discord hesabıyla oturum açın.',
    ko: 'Discord 계정으로 로그인합니다.',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    ...clientCredentialFormItems({ secretRequired: true }),
    scopeFormItem({
      placeholder: 'identify email',
      description:
        'Space-separated Discord scopes. `identify email` when empty; add `guilds` to receive the ids of the servers the user is in (`rawData.guildIds`).',
    }),
  ],
  isTokenStorageSupported: true,
};

/** Where Discord is (https://discord.com/developers/docs/topics/oauth2#shared-resources-oauth2-urls). */
export type DiscordEndpoints = {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** `GET /users/@me` (https://discord.com/developers/docs/resources/user#get-current-user). */
  userEndpoint: string;
  /** `GET /users/@me/guilds`, with the `guilds` scope. */
  guildsEndpoint: string;
  /** Image CDN (https://discord.com/developers/docs/reference#image-formatting). */
  cdnBaseUrl: string;
};

// API v10, as the official connector calls it.
export const discordEndpoints: DiscordEndpoints = {
  authorizationEndpoint: 'https://discord.com/oauth2/authorize',
  tokenEndpoint: 'https://discord.com/api/v10/oauth2/token',
  userEndpoint: 'https://discord.com/api/v10/users/@me',
  guildsEndpoint: 'https://discord.com/api/v10/users/@me/guilds',
  cdnBaseUrl: 'https://cdn.discordapp.com',
};

export const defaultScope = 'identify email';
export const guildsScope = 'guilds';
