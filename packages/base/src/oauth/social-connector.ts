import {
  type ConnectorError,
  type ConnectorMetadata,
  ConnectorType,
  type CreateConnector,
  type GetSession,
  type SocialConnector,
  type SocialUserInfo,
} from '@logto/connector-kit';
import { type ConfigGuard, loadConfig } from '../config';
import { timeoutOptionsOf } from '../config-fields';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http';
import { networkOf, withNetworkOption } from '../network';
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
import { requestUserInfo } from './user-info-request';

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
  /**
   * Add the missing required scopes after the requested ones instead of before (the official OIDC
   * connector appended `openid`; keeping its order keeps authorization URLs the same).
   */
  appendRequiredScopes?: boolean;
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
  /** Extra headers on every token request (code exchange and refresh). */
  tokenHeaders?: Record<string, string>;
  /** Extra headers on the userinfo request (`fetchProfile`). */
  userInfoHeaders?: Record<string, string>;
  /** The userinfo request's method (`fetchProfile`). @default 'GET' */
  userInfoMethod?: 'GET' | 'POST';
  /**
   * The provider's own error format, read before the OAuth mapping wherever the provider answers
   * with an error: token responses (code exchange, refresh) and error callbacks. Microsoft puts
   * the condition in an AADSTS code; Apple's `invalid_client` deserves a hint about the Services
   * ID; Facebook reports a used code in its own error object. Return the error to throw, or
   * `undefined` for the OAuth mapping.
   */
  readProviderError?: (
    body: unknown,
    response?: { status: number; headers: Headers },
  ) => ConnectorError | undefined;
  /** The authorization request's `response_type` (Apple: `code id_token`). @default 'code' */
  responseType?: string;
};

/** What `fetchUserInfo` gets: the config, the connector's own resolved provider, the tokens. */
export type OAuthUserInfoContext<Config, Provider extends OAuthProvider = OAuthProvider> = {
  config: Config;
  http: HttpClient;
  /** What `resolveProvider` returned for this sign-in: resolved once, never twice. */
  provider: Provider;
  tokens: TokenSet;
  session: OAuthFlowSession;
  /**
   * The callback data as Logto handed it over: the query of a redirect, or the fields of a
   * `response_mode=form_post` POST (Apple sends the user's name there, on the first sign-in only).
   */
  callbackData: Readonly<Record<string, unknown>>;
  redactor: SecretRedactor;
  /**
   * The userinfo or profile request (`requestUserInfo`) with this sign-in's access token and the
   * provider's `userInfoHeaders` and `userInfoMethod`: one way to shape it for every connector.
   */
  fetchProfile: (endpoint: string, providerName?: string) => Promise<Record<string, unknown>>;
};

export type OAuthDirectSignInContext<Config> = {
  config: Config;
  http: HttpClient;
  redactor: SecretRedactor;
  /**
   * The connector session of this sign-in as Logto hands it over (absent or failing for a caller
   * that keeps none): an ID token that arrives in the callback is checked against the nonce that
   * `getAuthorizationUri` stored there.
   */
  getSession: GetSession | undefined;
};

/** What `refreshTokens` gets: the config and the resolved provider of this call. */
export type OAuthRefreshContext<Config, Provider extends OAuthProvider = OAuthProvider> = {
  config: Config;
  http: HttpClient;
  provider: Provider;
  redactor: SecretRedactor;
};

/**
 * A social connector, declared. `Provider` is whatever the connector resolves from a config (the
 * endpoints and client of `OAuthProvider`, plus its own values: a JWKS URI, an API host, a tenant);
 * every hook receives that same object.
 */
export type OAuthConnectorDefinition<Config, Provider extends OAuthProvider = OAuthProvider> = {
  metadata: ConnectorMetadata;
  configGuard: ConfigGuard<Config>;
  /** "GitHub", for messages. */
  providerName: string;
  /** HTTP options derived from the config. @default the config's `timeout`, when it has one */
  httpOptions?: (config: Config) => HttpClientOptions;
  /**
   * Where the provider is for one config; called once per operation (authorization URL, sign-in,
   * refresh). It may fetch (discovery, cached by base) or compute a per-request client secret
   * (Apple's ES256 JWT), and returns the object every other hook receives.
   */
  resolveProvider: (config: Config, http: HttpClient) => Provider | Promise<Provider>;
  /**
   * Per-request authorization parameters taken from what the caller of `getAuthorizationUri`
   * passed (a `loginHint`, say), on top of `provider.authorizationParameters`. Protected
   * parameters (state, redirect_uri, nonce, PKCE) can never be set this way.
   */
  authorizationRequestParameters?: (
    request: Readonly<Record<string, unknown>>,
    config: Config,
  ) => ParameterValues;
  /**
   * Turns the token response into the user: ID token checks, userinfo or profile API calls (the
   * user id may come from any of them: Microsoft Graph's `id`, say).
   */
  fetchUserInfo: (context: OAuthUserInfoContext<Config, Provider>) => Promise<SocialUserInfo>;
  /**
   * Sign-ins that do not go through the code flow (Google One Tap's `credential`, Apple's
   * ID-token-only mode): return the user, or `undefined` to go on with the code flow.
   */
  directSignIn?: (
    data: Record<string, unknown>,
    context: OAuthDirectSignInContext<Config>,
  ) => Promise<SocialUserInfo | undefined>;
  /**
   * How `getAccessTokenByRefreshToken` renews tokens, for a provider without the RFC 6749 §6
   * refresh grant (Facebook exchanges a token for a long-lived one). @default the refresh grant
   */
  refreshTokens?: (
    refreshToken: string,
    context: OAuthRefreshContext<Config, Provider>,
  ) => Promise<TokenSet>;
  /**
   * When Logto stores the tokens (`getTokenResponseAndUserInfo`), turns the code exchange's tokens
   * into the ones to store, before `fetchUserInfo` runs with them (Facebook swaps its short-lived
   * token for a long-lived one there). Plain `getUserInfo` sign-ins never call it.
   */
  tokensForStorage?: (
    tokens: TokenSet,
    context: OAuthRefreshContext<Config, Provider>,
  ) => Promise<TokenSet>;
};

type TokenResponseAndUserInfo = { tokenResponse?: TokenSet; userInfo: SocialUserInfo };

const tokenEndpointOf = (provider: OAuthProvider): TokenEndpoint => ({
  tokenEndpoint: provider.tokenEndpoint,
  client: provider.client,
  ...(provider.tokenParameters && { extraParameters: provider.tokenParameters }),
  ...(provider.tokenResponseType && { responseType: provider.tokenResponseType }),
  ...(provider.tokenHeaders && { headers: provider.tokenHeaders }),
  ...(provider.readProviderError && { readProviderError: provider.readProviderError }),
});

/** `scope` with every required scope added once (at the front, or the end), or `scope` when none. */
export const withRequiredScopes = (
  scope: string | undefined,
  required: readonly string[] | undefined,
  append = false,
): string | undefined => {
  if (!required || required.length === 0) {
    return scope;
  }
  const requested = (scope ?? '').split(/\s+/).filter(Boolean);
  const missing = required.filter((name) => !requested.includes(name));
  return (append ? [...requested, ...missing] : [...missing, ...requested]).join(' ');
};

export const defineOAuthConnector =
  <Config, Provider extends OAuthProvider = OAuthProvider>(
    definition: OAuthConnectorDefinition<Config, Provider>,
  ): CreateConnector<SocialConnector> =>
  async ({ getConfig }) => {
    const { providerName } = definition;
    // Every connector takes the optional `network` group (proxy, CA) beside its own keys.
    const { metadata, configGuard } = withNetworkOption(definition);

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
          ...(definition.httpOptions ?? timeoutOptionsOf)(config),
          network: networkOf(config),
          redactor,
        });
        return operation(config, http, redactor);
      });
    };

    const signIn = async (
      data: unknown,
      getSession: GetSession,
      forStorage = false,
    ): Promise<TokenResponseAndUserInfo> =>
      withConfig(async (config, http, redactor) => {
        if (definition.directSignIn && data && typeof data === 'object' && !Array.isArray(data)) {
          const userInfo = await definition.directSignIn(data as Record<string, unknown>, {
            config,
            http,
            redactor,
            getSession,
          });
          if (userInfo) {
            return { userInfo: assertSocialUserInfo(userInfo, providerName) };
          }
        }
        const provider = await definition.resolveProvider(config, http);
        // A secret computed from the config (Apple's client-secret JWT) is kept out of errors too.
        redactor.add(provider.client.clientSecret);
        const { code } = parseAuthorizationResponse(data, {
          providerName,
          ...(provider.issuer !== undefined && { expectedIssuer: provider.issuer }),
          ...(provider.readProviderError && { readProviderError: provider.readProviderError }),
          ...(provider.issuerRequired && { issuerRequired: true }),
        });
        // The code (a form field of the token request) and every token later sent as a credential
        // are registered by the HTTP client as the requests are built; a refresh token is never
        // sent during a sign-in, so it is registered here.
        const session = await readFlowSession(getSession);
        const exchanged = await exchangeAuthorizationCode(http, tokenEndpointOf(provider), {
          code,
          redirectUri: session.redirectUri,
          ...(session.codeVerifier && { codeVerifier: session.codeVerifier }),
        });
        redactor.add(exchanged.access_token).add(exchanged.refresh_token).add(exchanged.id_token);
        const tokens =
          forStorage && definition.tokensForStorage
            ? await definition.tokensForStorage(exchanged, { config, http, provider, redactor })
            : exchanged;
        if (tokens !== exchanged) {
          redactor.add(tokens.access_token).add(tokens.refresh_token).add(tokens.id_token);
        }
        const userInfo = await definition.fetchUserInfo({
          config,
          http,
          provider,
          tokens,
          session,
          callbackData: data as Record<string, unknown>,
          redactor,
          fetchProfile: (endpoint, name = providerName) =>
            requestUserInfo(http, {
              endpoint,
              accessToken: tokens.access_token,
              tokenType: tokens.token_type,
              providerName: name,
              ...(provider.userInfoMethod && { method: provider.userInfoMethod }),
              ...(provider.userInfoHeaders && { headers: provider.userInfoHeaders }),
            }),
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
            provider.appendRequiredScopes,
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
            ...(provider.responseType && { responseType: provider.responseType }),
            extras,
          });
        }),

      getUserInfo: async (data, getSession) => (await signIn(data, getSession)).userInfo,
    };

    if (metadata.isTokenStorageSupported) {
      connector.getTokenResponseAndUserInfo = async (data, getSession) =>
        signIn(data, getSession, true);
      connector.getAccessTokenByRefreshToken = async (refreshToken) =>
        withConfig(async (config, http, redactor) => {
          redactor.add(refreshToken);
          const provider = await definition.resolveProvider(config, http);
          // A client secret computed per request (Apple's JWT) is a secret like a configured one.
          redactor.add(provider.client.clientSecret);
          // Nothing can throw after the new tokens arrive, so there is nothing to redact them from.
          return definition.refreshTokens
            ? definition.refreshTokens(refreshToken, { config, http, provider, redactor })
            : refreshAccessToken(http, tokenEndpointOf(provider), refreshToken);
        });
    }

    return connector;
  };
