import {
  clientSecretCredentials,
  connectorError,
  defineOAuthConnector,
  formatZodError,
  requestUserInfo,
} from '@idplug/base';
import {
  ConnectorErrorCodes,
  type CreateConnector,
  type SocialConnector,
} from '@logto/connector-kit';
import { __camelName__ConfigGuard } from './config';
import { defaultScope, endpoints, metadata } from './constants';
import { __camelName__ProfileGuard, toSocialUserInfo } from './profile';

/**
 * The whole OAuth 2.0 flow (session, state, PKCE, the callback, the code exchange, refresh, error
 * mapping, secret redaction) is @idplug/base's; this file says where __displayName__ is and how
 * its profile becomes a Logto user.
 */
const create__Name__Connector: CreateConnector<SocialConnector> = defineOAuthConnector({
  metadata,
  configGuard: __camelName__ConfigGuard,
  providerName: '__displayName__',
  resolveProvider: (config) => ({
    authorizationEndpoint: endpoints.authorizationEndpoint,
    tokenEndpoint: endpoints.tokenEndpoint,
    // RFC 6749 §2.3.1: every server must accept HTTP Basic; use `client_secret_post` if
    // __displayName__'s documentation asks for the secret in the form.
    client: clientSecretCredentials(config, 'client_secret_basic'),
    scope: config.scope?.trim() || defaultScope,
    pkce: config.pkce,
    nonce: false,
  }),
  fetchUserInfo: async ({ http, tokens }) => {
    const profile = await requestUserInfo(http, {
      endpoint: endpoints.userInfoEndpoint,
      accessToken: tokens.access_token,
      tokenType: tokens.token_type,
      providerName: '__displayName__',
    });
    const parsed = __camelName__ProfileGuard.safeParse(profile);
    if (!parsed.success) {
      throw connectorError(
        ConnectorErrorCodes.InvalidResponse,
        `__displayName__'s profile answer is not usable: ${formatZodError(parsed.error)}`,
      );
    }
    return toSocialUserInfo(parsed.data);
  },
});

export default create__Name__Connector;
