import {
  clientSecretCredentials,
  connectorError,
  defineOAuthConnector,
  formatZodError,
  type HttpClient,
} from '@idplug/base';
import {
  ConnectorError,
  ConnectorErrorCodes,
  type CreateConnector,
  type SocialConnector,
} from '@logto/connector-kit';
import { githubConfigGuard } from './config';
import { defaultScope, enterpriseEndpoints, githubDotComEndpoints, metadata } from './constants';
import { githubEmailsGuard, githubUserGuard, toSocialUserInfo } from './profile';

// https://docs.github.com/rest/about-the-rest-api/api-versions
const apiHeaders = (accessToken: string) => ({
  authorization: `Bearer ${accessToken}`,
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
});

/** The email list is a bonus: a GitHub App without the email permission (403) still signs in. */
const fetchEmails = async (http: HttpClient, url: string, accessToken: string) => {
  try {
    const { body } = await http.request({ url, purpose: 'api', headers: apiHeaders(accessToken) });
    const parsed = githubEmailsGuard.safeParse(body);
    return { emails: parsed.success ? parsed.data : undefined, raw: body };
  } catch (error: unknown) {
    if (
      error instanceof ConnectorError &&
      error.code === ConnectorErrorCodes.SocialAccessTokenInvalid
    ) {
      throw error;
    }
    return { emails: undefined, raw: undefined };
  }
};

const createGithubConnector: CreateConnector<SocialConnector> = defineOAuthConnector({
  metadata,
  configGuard: githubConfigGuard,
  providerName: 'GitHub',
  resolveProvider: (config) => {
    const endpoints = config.enterpriseUrl
      ? enterpriseEndpoints(config.enterpriseUrl)
      : githubDotComEndpoints;
    return {
      ...endpoints,
      client: clientSecretCredentials(config, 'client_secret_post'),
      scope: config.scope?.trim() || defaultScope,
      pkce: config.pkce,
      nonce: false,
    };
  },
  fetchUserInfo: async ({ http, tokens, provider }) => {
    const [user, emails] = await Promise.all([
      http.request({
        url: provider.userEndpoint,
        purpose: 'userinfo',
        headers: apiHeaders(tokens.access_token),
      }),
      fetchEmails(http, provider.emailsEndpoint, tokens.access_token),
    ]);
    const parsed = githubUserGuard.safeParse(user.body);
    if (!parsed.success) {
      throw connectorError(
        ConnectorErrorCodes.InvalidResponse,
        `GitHub's /user answer is not usable: ${formatZodError(parsed.error)}`,
      );
    }
    return toSocialUserInfo(parsed.data, emails.emails, emails.raw);
  },
});

export default createGithubConnector;
