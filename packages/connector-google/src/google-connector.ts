import {
  clientSecretCredentials,
  connectorError,
  defineOAuthConnector,
  getRemoteJwks,
  type HttpClient,
  requestUserInfo,
  verifyCodeFlowIdToken,
  verifyIdToken,
} from '@idplug/base';
import {
  ConnectorErrorCodes,
  type CreateConnector,
  type SocialConnector,
} from '@logto/connector-kit';
import { type GoogleConfig, googleConfigGuard, promptOf, scopeOf } from './config';
import { type GoogleEndpoints, googleEndpoints, metadata } from './constants';
import { type GoogleClaims, mergeUserinfo, needsUserinfo, userInfoOf } from './profile';

/**
 * Google sign-in: the OIDC authorization code flow (PKCE S256, nonce) with the ID token verified
 * against Google's JWKS, and One Tap, whose `credential` is an ID token verified the same way.
 */

export type GoogleConnectorOptions = {
  /**
   * Other Google endpoints, for a local emulator (the playground). The default export never
   * sets this: production always talks to Google's real endpoints, whatever the environment.
   */
  endpoints?: Partial<GoogleEndpoints>;
  /** Deadline of each request to Google, JWKS included. @default 10000 */
  timeoutMs?: number;
};

const providerName = 'Google';

/** The parameter One Tap carries its ID token in (connector-kit's `GoogleConnector.oneTapParams`). */
const oneTapCredential = 'credential';

/** The longest `login_hint` accepted (an email address is at most 320 characters). */
const maxLoginHintLength = 320;

/**
 * A `login_hint` (an email address or a `sub`) the caller of `getAuthorizationUri` passed as
 * `loginHint` (or `login_hint`). Logto itself does not pass one today; hosts that call the
 * connector directly can.
 */
const loginHintOf = (request: Readonly<Record<string, unknown>>): string | undefined => {
  const value = request.loginHint ?? request.login_hint;
  if (typeof value !== 'string') {
    return undefined;
  }
  const hint = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  return hint !== '' && hint.length <= maxLoginHintLength && !/[\u0000-\u001f\u007f]/.test(hint)
    ? hint
    : undefined;
};

/**
 * `hd` is only a hint to Google's account chooser; anyone can remove it from the URL. The ID
 * token's `hd` claim is what proves the account belongs to the domain
 * (https://developers.google.com/identity/openid-connect/openid-connect#hd-param).
 */
const assertHostedDomain = (claims: GoogleClaims, hostedDomain: string | undefined) => {
  if (!hostedDomain) {
    return;
  }
  const tokenDomain = typeof claims.hd === 'string' ? claims.hd.toLowerCase() : undefined;
  const allowed = hostedDomain === '*' ? tokenDomain !== undefined : tokenDomain === hostedDomain;
  if (!allowed) {
    throw connectorError(
      ConnectorErrorCodes.AuthorizationFailed,
      hostedDomain === '*'
        ? 'Only Google Workspace accounts may sign in here, and this account belongs to no Workspace domain'
        : `Only accounts of ${hostedDomain} may sign in here; this account ${tokenDomain ? `belongs to ${tokenDomain}` : 'belongs to no Workspace domain'}`,
      { provider: providerName, stage: 'id_token' },
    );
  }
};

export const configureGoogleConnector = (
  options: GoogleConnectorOptions = {},
): CreateConnector<SocialConnector> => {
  const endpoints: GoogleEndpoints = { ...googleEndpoints, ...options.endpoints };
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };

  /** Verifies a One Tap credential: JWKS (cached per process), issuer, audience, expiry. */
  const verifyGoogleIdToken = async (idToken: string, config: GoogleConfig, http: HttpClient) =>
    (await verifyIdToken(idToken, getRemoteJwks(endpoints.jwksUri, http), {
      issuer: endpoints.issuers,
      audience: config.clientId,
      providerName,
    })) as GoogleClaims;

  return defineOAuthConnector<GoogleConfig>({
    metadata,
    configGuard: googleConfigGuard,
    providerName,
    httpOptions: () => timeout,
    resolveProvider: (config) => ({
      authorizationEndpoint: endpoints.authorizationEndpoint,
      tokenEndpoint: endpoints.tokenEndpoint,
      // Google's discovery document lists client_secret_post and client_secret_basic; the official
      // connector posts the secret.
      client: clientSecretCredentials(config, 'client_secret_post'),
      scope: scopeOf(config),
      // Without `openid` Google returns no ID token, and there would be nothing verified to sign in with.
      requiredScopes: ['openid'],
      pkce: true,
      nonce: true,
      issuer: endpoints.issuers,
      authorizationParameters: {
        prompt: promptOf(config),
        access_type: config.offlineAccess ? 'offline' : undefined,
        hd: config.hd,
      },
    }),
    authorizationRequestParameters: (request) => ({ login_hint: loginHintOf(request) }),

    fetchUserInfo: async ({ config, http, tokens, session }) => {
      const claims = (
        await verifyCodeFlowIdToken(tokens, session, getRemoteJwks(endpoints.jwksUri, http), {
          issuer: endpoints.issuers,
          audience: config.clientId,
          providerName,
        })
      ).claims as GoogleClaims;
      assertHostedDomain(claims, config.hd);
      const grantedScope = tokens.scope ?? scopeOf(config);
      const profile = needsUserinfo(claims, grantedScope)
        ? mergeUserinfo(
            claims,
            await requestUserInfo(http, {
              endpoint: endpoints.userinfoEndpoint,
              accessToken: tokens.access_token,
              tokenType: tokens.token_type,
              providerName,
            }),
          )
        : claims;
      return userInfoOf(profile);
    },

    // One Tap: Logto core has already checked the `g_csrf_token` cookie (or, for an external One
    // Tap button, its own cookie), so the connector neither needs nor requires it.
    directSignIn: async (data, { config, http }) => {
      const credential = data[oneTapCredential];
      if (credential === undefined || credential === null || credential === '') {
        return undefined;
      }
      if (typeof credential !== 'string') {
        throw connectorError(
          ConnectorErrorCodes.SocialIdTokenInvalid,
          'The One Tap `credential` is not a JWT string',
        );
      }
      const claims = await verifyGoogleIdToken(credential, config, http);
      assertHostedDomain(claims, config.hd);
      return userInfoOf(claims);
    },
  });
};
