import {
  clientSecretCredentials,
  connectorError,
  defineOAuthConnector,
  discoverProvider,
  formatZodError,
  getRemoteJwks,
  type HttpClient,
  requestUserInfo,
  type TokenSet,
  verifyCodeFlowIdToken,
} from '@idplug/base';
import {
  ConnectorErrorCodes,
  type CreateConnector,
  type SocialConnector,
} from '@logto/connector-kit';
import type { ZodError } from 'zod';
import { gitlabConfigGuard } from './config';
import { defaultScope, gitlabDotCom, gitlabEndpoints, metadata, requiredScopes } from './constants';
import { fromApiUser, fromUserInfo, gitlabApiUserGuard, gitlabUserInfoGuard } from './profile';

const providerName = 'GitLab';

const unusable = (what: string, error: ZodError) =>
  connectorError(
    ConnectorErrorCodes.InvalidResponse,
    `GitLab's ${what} answer is not usable: ${formatZodError(error)}`,
    { provider: providerName },
  );

const profileRequest = (http: HttpClient, endpoint: string, tokens: TokenSet) =>
  requestUserInfo(http, {
    endpoint,
    accessToken: tokens.access_token,
    tokenType: tokens.token_type,
    providerName,
  });

const createGitlabConnector: CreateConnector<SocialConnector> = defineOAuthConnector({
  metadata,
  configGuard: gitlabConfigGuard,
  providerName,
  resolveProvider: (config) => ({
    ...gitlabEndpoints(config.baseUrl ?? gitlabDotCom),
    // The official connector authenticates with HTTP Basic (client_secret_basic).
    client: clientSecretCredentials(config, 'client_secret_basic'),
    scope: config.scope?.trim() || defaultScope,
    // Appended, as the official connector appends it: the same authorization URLs.
    requiredScopes,
    appendRequiredScopes: true,
    pkce: config.pkce,
    nonce: true,
  }),
  fetchUserInfo: async ({ config, http, provider, tokens, session }) => {
    // An instance that issues no ID token (OIDC off): the REST API's user, same id.
    if (!tokens.id_token) {
      const parsed = gitlabApiUserGuard.safeParse(
        await profileRequest(http, provider.apiUserEndpoint, tokens),
      );
      if (!parsed.success) {
        throw unusable('/api/v4/user', parsed.error);
      }
      return fromApiUser(parsed.data);
    }
    // OIDC Core §3.1.3.7 against the instance's discovery document (cached per process).
    const discovered = await discoverProvider(http, provider.issuer);
    const { claims } = await verifyCodeFlowIdToken(
      tokens,
      session,
      getRemoteJwks(discovered.jwks_uri, http),
      { issuer: provider.issuer, audience: config.clientId, providerName },
    );
    // The profile comes from userinfo, where the official connector reads it (same fields, same id).
    const parsed = gitlabUserInfoGuard.safeParse(
      await profileRequest(http, discovered.userinfo_endpoint ?? provider.userInfoEndpoint, tokens),
    );
    if (!parsed.success) {
      throw unusable('/oauth/userinfo', parsed.error);
    }
    // OIDC Core §5.3.2: a userinfo `sub` other than the ID token's must not be used.
    if (parsed.data.sub !== claims.sub) {
      throw connectorError(
        ConnectorErrorCodes.SocialIdTokenInvalid,
        "GitLab's userinfo `sub` is not the ID token's `sub`",
        { provider: providerName },
      );
    }
    return fromUserInfo(parsed.data);
  },
});

export default createGitlabConnector;
