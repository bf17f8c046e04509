import {
  connectorError,
  defineOAuthConnector,
  getRemoteJwks,
  refreshAccessToken,
  verifyCodeFlowIdToken,
  verifyIdToken,
} from '@idplug/base';
import {
  ConnectorErrorCodes,
  type CreateConnector,
  type GetSession,
  type SocialConnector,
} from '@logto/connector-kit';
import { appleClientSecret } from './client-secret';
import { type AppleConfig, appleConfigGuard, signingKeyOf } from './config';
import { type AppleEndpoints, appleEndpoints, metadata, providerName } from './constants';
import { callbackErrorOf, readAppleTokenError } from './errors';
import { userInfoOf } from './profile';

/**
 * Sign in with Apple. Apple answers with `response_mode=form_post`: it POSTs `code`, `id_token`,
 * `state` and, on the first sign-in only, `user` to the redirect URI, and Logto hands those fields
 * to `getUserInfo`.
 * - Without a signing key (the official config): the `id_token` of the callback is the sign-in,
 *   verified against Apple's JWKS (cached), `iss`, `aud` = the Services ID, `exp`, and the nonce.
 * - With `teamId`, `keyId` and `privateKey`: the code is exchanged with an ES256 client secret, the
 *   token response's ID token is verified the same way, and the tokens can be stored and refreshed.
 */

export type AppleConnectorOptions = {
  /**
   * Other Apple endpoints, for a local emulator (the playground). The default export never sets
   * this: production always talks to appleid.apple.com.
   */
  endpoints?: Partial<AppleEndpoints>;
  /** Deadline of each request to Apple, JWKS included. @default 10000 */
  timeoutMs?: number;
};

/** The nonce `getAuthorizationUri` stored, if the caller keeps a session at all. */
const sessionNonceOf = async (getSession: GetSession | undefined): Promise<string | undefined> => {
  try {
    const session = (await getSession?.()) as Record<string, unknown> | undefined;
    return typeof session?.nonce === 'string' && session.nonce !== '' ? session.nonce : undefined;
  } catch {
    return undefined;
  }
};

export const configureAppleConnector = (
  options: AppleConnectorOptions = {},
): CreateConnector<SocialConnector> => {
  const endpoints: AppleEndpoints = { ...appleEndpoints, ...options.endpoints };
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const expectations = (config: AppleConfig) => ({
    issuer: endpoints.issuer,
    audience: config.clientId,
    providerName,
  });

  return defineOAuthConnector<AppleConfig>({
    metadata,
    configGuard: appleConfigGuard,
    providerName,
    httpOptions: () => timeout,
    resolveProvider: async (config) => {
      const key = signingKeyOf(config);
      return {
        authorizationEndpoint: endpoints.authorizationEndpoint,
        tokenEndpoint: endpoints.tokenEndpoint,
        // Apple's token endpoint takes the client secret in the form body.
        client: key
          ? {
              clientId: config.clientId,
              method: 'client_secret_post',
              clientSecret: await appleClientSecret(key, config.clientId, endpoints.issuer),
            }
          : { clientId: config.clientId, method: 'none' },
        scope: config.scope,
        pkce: false,
        nonce: true,
        // RFC 9207: a callback naming another issuer was meant for another provider.
        issuer: endpoints.issuer,
        // As the official connector asks: the ID token comes back in the callback too, and
        // Apple posts the callback when names or emails are requested.
        responseType: 'code id_token',
        authorizationParameters: { response_mode: 'form_post' },
        readProviderError: readAppleTokenError,
      };
    },

    // Both modes pass here first; only the ID-token-only mode signs in here.
    directSignIn: async (data, { config, http, getSession }) => {
      const callbackError = callbackErrorOf(data);
      if (callbackError) {
        throw callbackError;
      }
      if (signingKeyOf(config)) {
        return undefined;
      }
      // RFC 9207: Apple posts no `iss`; one that is there must be Apple's, as one string (a
      // response meant for another provider, mixed up, is refused before its token is looked at).
      if (data.iss !== undefined && data.iss !== endpoints.issuer) {
        throw connectorError(
          ConnectorErrorCodes.General,
          `The callback names the issuer ${typeof data.iss === 'string' ? JSON.stringify(data.iss.slice(0, 100)) : 'in a form that is not one string'}, not ${endpoints.issuer}: it was meant for another provider`,
          { provider: 'Apple', stage: 'callback' },
        );
      }
      const idToken = data.id_token;
      if (typeof idToken !== 'string' || idToken === '') {
        throw connectorError(
          ConnectorErrorCodes.SocialIdTokenInvalid,
          'The callback from Apple carries no `id_token`; without `teamId`, `keyId` and `privateKey` the connector signs in with the ID token Apple posts',
        );
      }
      const nonce = await sessionNonceOf(getSession);
      const claims = await verifyIdToken(idToken, getRemoteJwks(endpoints.jwksUri, http), {
        ...expectations(config),
        ...(nonce && { nonce }),
      });
      // A token bound to some sign-in, arriving where no sign-in was started, is not this one's.
      if (nonce === undefined && claims.nonce !== undefined) {
        throw connectorError(
          ConnectorErrorCodes.SocialIdTokenInvalid,
          'The ID token from Apple was rejected: it carries a nonce, and the sign-in session holds none to check it against; start the sign-in again',
        );
      }
      return userInfoOf(claims, data.user);
    },

    // Without a key there is no client secret, so Apple would only answer `invalid_client`.
    refreshTokens: async (refreshToken, { config, http, provider }) => {
      if (!signingKeyOf(config)) {
        throw connectorError(
          ConnectorErrorCodes.InvalidConfig,
          'Refreshing Apple tokens needs the code flow: set `teamId`, `keyId` and `privateKey` (the ID-token-only mode stores no tokens)',
        );
      }
      return refreshAccessToken(
        http,
        {
          tokenEndpoint: provider.tokenEndpoint,
          client: provider.client,
          ...(provider.readProviderError && { readProviderError: provider.readProviderError }),
        },
        refreshToken,
      );
    },

    fetchUserInfo: async ({ config, http, tokens, session, callbackData }) => {
      const { claims } = await verifyCodeFlowIdToken(
        tokens,
        session,
        getRemoteJwks(endpoints.jwksUri, http),
        expectations(config),
      );
      return userInfoOf(claims, callbackData.user);
    },
  });
};
