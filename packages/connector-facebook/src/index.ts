import { connectorError, defineOAuthConnector, formatZodError } from '@idplug/base';
import {
  ConnectorErrorCodes,
  type CreateConnector,
  type SocialConnector,
} from '@logto/connector-kit';
import { type FacebookConfig, facebookConfigGuard } from './config';
import { type FacebookHosts, facebookHosts, metadata } from './constants';
import { readFacebookError } from './errors';
import { exchangeForLongLivedToken } from './long-lived-token';
import { facebookUserGuard, toSocialUserInfo } from './profile';
import { type FacebookProvider, facebookProviderResolver, meUrlOf } from './provider';

export type FacebookConnectorOptions = {
  /** Other hosts, for a local emulator (the playground); the default export never sets this. */
  hosts?: Partial<FacebookHosts>;
};

/** Facebook Login (OAuth 2.0 code flow) and the Graph API, optionally against other hosts. */
export const configureFacebookConnector = (
  options: FacebookConnectorOptions = {},
): CreateConnector<SocialConnector> =>
  defineOAuthConnector<FacebookConfig, FacebookProvider>({
    metadata,
    configGuard: facebookConfigGuard,
    providerName: 'Facebook',
    resolveProvider: facebookProviderResolver({ ...facebookHosts, ...options.hosts }),
    // Where Logto stores the tokens, store a long-lived one, as the official connector does.
    tokensForStorage: (tokens, context) => exchangeForLongLivedToken(tokens.access_token, context),
    // No refresh grant: a still-valid user token is exchanged for a long-lived one.
    refreshTokens: exchangeForLongLivedToken,
    fetchUserInfo: async ({ config, http, provider, tokens }) => {
      const { body } = await http.request({
        url: meUrlOf(provider, config, tokens.access_token),
        purpose: 'userinfo',
        headers: { authorization: `Bearer ${tokens.access_token}` },
        readProviderError: readFacebookError,
      });
      const parsed = facebookUserGuard.safeParse(body);
      if (!parsed.success) {
        throw connectorError(
          ConnectorErrorCodes.InvalidResponse,
          `Facebook's /me answer is not usable: ${formatZodError(parsed.error)}`,
          { provider: 'Facebook' },
        );
      }
      return toSocialUserInfo(parsed.data);
    },
  });

/** The connector Logto loads: Facebook's real hosts, always. */
const createFacebookConnector: CreateConnector<SocialConnector> = configureFacebookConnector();

export default createFacebookConnector;
