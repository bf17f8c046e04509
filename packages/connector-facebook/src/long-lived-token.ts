import { type OAuthRefreshContext, parseTokenResponse, type TokenSet } from '@idplug/base';
import type { FacebookConfig } from './config';
import { readFacebookError } from './errors';
import type { FacebookProvider } from './provider';

/**
 * Facebook has no refresh token; a user token is exchanged for a long-lived one (about 60 days)
 * with `grant_type=fb_exchange_token`, as the official connector does when Logto stores tokens
 * (https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived).
 */
export const exchangeForLongLivedToken = async (
  accessToken: string,
  { config, http, provider }: OAuthRefreshContext<FacebookConfig, FacebookProvider>,
): Promise<TokenSet> => {
  const { body } = await http.request({
    url: provider.tokenEndpoint,
    purpose: 'token',
    // A form, not the official query string: the App Secret stays out of URLs and their logs.
    form: {
      grant_type: 'fb_exchange_token',
      client_id: config.clientId,
      client_secret: config.clientSecret,
      fb_exchange_token: accessToken,
    },
    readProviderError: readFacebookError,
  });
  // Facebook's exchange answers a standard token response: read it as strictly as the code's.
  return parseTokenResponse(body, 'Facebook');
};
