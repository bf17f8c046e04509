import {
  clientCredentialsOf,
  defineOAuthConnector,
  requestShapingOf,
  snakeCaseKeys,
} from '@idplug/base';
import type { CreateConnector, SocialConnector } from '@logto/connector-kit';
import { oauth2ConfigGuard } from './config';
import { metadata } from './constants';
import { mapProfile } from './profile';

/** Messages name the provider by its host: the connector talks to any provider. */
const providerNameOf = (endpoint: string) => new URL(endpoint).host;

const createOAuth2Connector: CreateConnector<SocialConnector> = defineOAuthConnector({
  metadata,
  configGuard: oauth2ConfigGuard,
  providerName: 'OAuth 2.0 provider',
  httpOptions: (config) => ({
    providerName: providerNameOf(config.tokenEndpoint),
    ...(config.timeout && { timeoutMs: config.timeout }),
  }),
  resolveProvider: (config) => {
    const customConfig = snakeCaseKeys(config.customConfig);
    // The official connector let `customConfig.scope` replace the configured scope.
    const scope = (
      customConfig.scope === undefined ? config.scope : String(customConfig.scope)
    )?.trim();
    return {
      authorizationEndpoint: config.authorizationEndpoint,
      tokenEndpoint: config.tokenEndpoint,
      client: clientCredentialsOf(config),
      ...(scope && { scope }),
      pkce: config.pkce,
      nonce: false,
      // `json` is a deliberate choice (the console's default is `query-string`): force it. With
      // `query-string` the body is read by its Content-Type, so JSON providers work too.
      ...(config.tokenEndpointResponseType === 'json' && { tokenResponseType: 'json' as const }),
      authorizationParameters: { ...customConfig, ...config.authorizationParameters },
      tokenParameters: { ...customConfig, ...config.tokenRequestParameters },
      ...requestShapingOf(config),
    };
  },
  fetchUserInfo: async ({ config, fetchProfile }) => {
    const providerName = providerNameOf(config.userInfoEndpoint);
    const profile = await fetchProfile(config.userInfoEndpoint, providerName);
    return mapProfile(profile, config, providerName);
  },
});

export default createOAuth2Connector;
