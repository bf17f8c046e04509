import {
  type ConnectorMetadata,
  ConnectorType,
  type CreateConnector,
  type GetSession,
  type SocialConnector,
  type SocialUserInfo,
} from '@logto/connector-kit';
import { type ConfigGuard, loadConfig } from '../config';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http';
import { SecretRedactor } from '../secrets';
import { buildAuthorizationUrl, type ParameterValues } from './authorization';
import { parseAuthorizationResponse } from './callback';
import type { ClientCredentials } from './client-auth';
import { createPkcePair, createRandomToken } from './pkce';
import { type OAuthFlowSession, readFlowSession, saveFlowSession } from './session';
import {
  exchangeAuthorizationCode,
  refreshAccessToken,
  type TokenEndpoint,
  type TokenSet,
} from './token';
import { assertSocialUserInfo } from './user-info';

/**
 * The OAuth 2.0 authorization code flow, once, for every social connector. A connector declares
 * where its provider is and how to turn tokens into a user; this module does the rest: config,
 * session state, PKCE, nonce, the callback, the code exchange, refresh, and making sure only
 * secret-free `ConnectorError`s come out.
 */

/** Where the provider is and how this client talks to it, for one config. */
export type OAuthProvider = {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  client: ClientCredentials;
  /** The scope requested when the sign-in request names none. */
  scope?: string;
  /**
   * Scopes added to whatever scope is requested, the request's own or the default (OIDC's
   * `openid`: without it there is no ID token to verify).
   */
  requiredScopes?: readonly string[];
  /** RFC 7636 PKCE S256. */
  pkce: boolean;
  /** OIDC nonce (then required back in the ID token). */
  nonce: boolean;
  /** RFC 9207: the `iss` a callback may carry. */
  issuer?: string | readonly string[];
  /** RFC 9207 §2.4: the provider always sends `iss` (discovery says so); a callback without it is refused. */
  issuerRequired?: boolean;
  /** Extra authorization request parameters (prompt, login_hint...). */
  authorizationParameters?: ParameterValues;
  /** Extra token request parameters. */
  tokenParameters?: ParameterValues;
  tokenResponseType?: 'json' | 'form';
  tokenHeaders?: Record<string, string>;
};

export type OAuthUserInfoContext<Config> = {
  config: Config;
  http: HttpClient;
  provider: OAuthProvider;
  tokens: TokenSet;
  session: OAuthFlowSession;
  redactor: SecretRedactor;
};

export type OAuthDirectSignInContext<Config> = {
  config: Config;
  http: HttpClient;
  redactor: SecretRedactor;
};

export type OAuthConnectorDefinition<Config> = {
  metadata: ConnectorMetadata;
  configGuard: ConfigGuard<Config>;
  /** "GitHub", for messages. */
  providerName: string;
  /** HTTP options derived from the config (a configured timeout, say). */
  httpOptions?: (config: Config) => HttpClientOptions;
  resolveProvider: (config: Config, http: HttpClient) => OAuthProvider | Promise<OAuthProvider>;
  /**
   * Per-request authorization parameters taken from what the caller of `getAuthorizationUri`
   * passed (a `loginHint`, say), on top of `provider.authorizationParameters`. Protected
   * parameters (state, redirect_uri, nonce, PKCE) can never be set this way.
   */
  authorizationRequestParameters?: (
    request: Readonly<Record<string, unknown>>,
    config: Config,
  ) => ParameterValues;
  /** Turns the token response into the user: userinfo calls, ID token checks. */
  fetchUserInfo: (context: OAuthUserInfoContext<Config>) => Promise<SocialUserInfo>;
  /**
   * Sign-ins that do not go through the code flow (Google One Tap's `credential`): return the user,
   * or `undefined` to go on with the code flow.
   */
  directSignIn?: (
    data: Record<string, unknown>,
    context: OAuthDirectSignInContext<Config>,
  ) => Promise<SocialUserInfo | undefined>;
};

type TokenResponseAndUserInfo = { tokenResponse?: TokenSet; userInfo: SocialUserInfo };

const tokenEndpointOf = (provider: OAuthProvider): TokenEndpoint => ({
  tokenEndpoint: provider.tokenEndpoint,
  client: provider.client,
  ...(provider.tokenParameters && { extraParameters: provider.tokenParameters }),
  ...(provider.tokenResponseType && { responseType: provider.tokenResponseType }),
  ...(provider.tokenHeaders && { headers: provider.tokenHeaders }),
});

/** `scope` with every required scope added (once, at the front), or `scope` itself when none. */
export const withRequiredScopes = (
  scope: string | undefined,
  required: readonly string[] | undefined,
): string | undefined => {
  if (!required || required.length === 0) {
    return scope;
  }
  const requested = (scope ?? '').split(/\s+/).filter(Boolean);
  const missing = required.filter((name) => !requested.includes(name));
  return [...missing, ...requested].join(' ');
};

export const defineOAuthConnector =
  <Config>(definition: OAuthConnectorDefinition<Config>): CreateConnector<SocialConnector> =>
  async ({ getConfig }) => {
    const { metadata, configGuard, providerName } = definition;

    /** Loads the config and runs `operation` with a client and a redactor; only safe errors leave. */
    const withConfig = async <T>(
      operation: (config: Config, http: HttpClient, redactor: SecretRedactor) => Promise<T>,
    ): Promise<T> => {
      const redactor = new SecretRedactor([], { provider: providerName });
      return redactor.guard(async () => {
        const config = await loadConfig(getConfig, metadata.id, configGuard);
        redactor.addConfig(config, metadata.formItems);
        const http = createHttpClient({
          providerName,
          ...definition.httpOptions?.(config),
          redactor,
        });
        return operation(config, http, redactor);
      });
    };

    const signIn = async (
      data: unknown,
      getSession: GetSession,
    ): Promise<TokenResponseAndUserInfo> =>
      withConfig(async (config, http, redactor) => {
        if (definition.directSignIn && data && typeof data === 'object' && !Array.isArray(data)) {
          const userInfo = await definition.directSignIn(data as Record<string, unknown>, {
            config,
            http,
            redactor,
          });
          if (userInfo) {
            return { userInfo: assertSocialUserInfo(userInfo, providerName) };
          }
        }
        const provider = await definition.resolveProvider(config, http);
        const { code } = parseAuthorizationResponse(data, {
          providerName,
          ...(provider.issuer !== undefined && { expectedIssuer: provider.issuer }),
          ...(provider.issuerRequired && { issuerRequired: true }),
        });
        redactor.add(code);
        const session = await readFlowSession(getSession);
        const tokens = await exchangeAuthorizationCode(http, tokenEndpointOf(provider), {
          code,
          redirectUri: session.redirectUri,
          ...(session.codeVerifier && { codeVerifier: session.codeVerifier }),
        });
        redactor.add(tokens.access_token).add(tokens.refresh_token).add(tokens.id_token);
        const userInfo = await definition.fetchUserInfo({
          config,
          http,
          provider,
          tokens,
          session,
          redactor,
        });
        return { tokenResponse: tokens, userInfo: assertSocialUserInfo(userInfo, providerName) };
      });

    const connector: SocialConnector = {
      metadata,
      type: ConnectorType.Social,
      configGuard,

      getAuthorizationUri: async (request, setSession) =>
        withConfig(async (config, http) => {
          const { state, redirectUri } = request;
          const provider = await definition.resolveProvider(config, http);
          const scope = withRequiredScopes(
            request.scope ?? provider.scope,
            provider.requiredScopes,
          );
          const extras = {
            ...provider.authorizationParameters,
            ...definition.authorizationRequestParameters?.(request, config),
          };
          const pkce = provider.pkce ? createPkcePair() : undefined;
          const nonce = provider.nonce ? createRandomToken() : undefined;
          await saveFlowSession(setSession, {
            redirectUri,
            state,
            ...(nonce && { nonce }),
            ...(pkce && { codeVerifier: pkce.codeVerifier }),
          });
          return buildAuthorizationUrl(provider.authorizationEndpoint, {
            clientId: provider.client.clientId,
            redirectUri,
            state,
            ...(scope !== undefined && { scope }),
            ...(nonce && { nonce }),
            ...(pkce && { codeChallenge: pkce.codeChallenge }),
            extras,
          });
        }),

      getUserInfo: async (data, getSession) => (await signIn(data, getSession)).userInfo,
    };

    if (metadata.isTokenStorageSupported) {
      connector.getTokenResponseAndUserInfo = signIn;
      connector.getAccessTokenByRefreshToken = async (refreshToken) =>
        withConfig(async (config, http, redactor) => {
          redactor.add(refreshToken);
          const provider = await definition.resolveProvider(config, http);
          const tokens = await refreshAccessToken(http, tokenEndpointOf(provider), refreshToken);
          redactor.add(tokens.access_token).add(tokens.id_token);
          return tokens;
        });
    }

    return connector;
  };
