import {
  claimsParameterOf,
  clientCredentialsOf,
  connectorError,
  discoverProvider,
  type HttpClient,
  issuerRequiredBy,
  type OAuthProvider,
  type ParameterValues,
  type ProviderMetadata,
  pkceWanted,
  requestShapingOf,
  snakeCaseKeys,
} from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import type { OidcConfig } from './config';

/**
 * Where the OpenID Provider is, for one config: explicit endpoints win, the rest comes from
 * discovery (cached per process by base, so a warm sign-in fetches nothing).
 */
export type ResolvedOidcProvider = OAuthProvider & {
  jwksUri: string;
  userInfoEndpoint?: string;
};

/** A display name for messages: the issuer's or the token endpoint's host. */
export const providerNameOf = (config: OidcConfig): string => {
  const address = config.issuer ?? config.tokenEndpoint ?? config.authorizationEndpoint;
  try {
    return address ? new URL(address).host : 'OpenID Provider';
  } catch {
    return 'OpenID Provider';
  }
};

/**
 * OIDC Core §3.1.2.1 parameters from the official `authRequestOptionalConfig`, the §5.5 `claims`
 * parameter from `requestedClaims`, then the extras.
 */
export const authorizationParametersOf = (config: OidcConfig): ParameterValues => {
  const claims = claimsParameterOf(config.requestedClaims);
  return {
    ...snakeCaseKeys(config.authRequestOptionalConfig),
    ...snakeCaseKeys(config.customConfig),
    ...(claims && { claims }),
    ...config.authorizationParameters,
  };
};

/** `max_age` sent in the authorization request, in seconds: `auth_time` is then checked. */
export const maxAgeOf = (config: OidcConfig): number | undefined => {
  const value = authorizationParametersOf(config).max_age;
  const seconds = typeof value === 'number' ? value : Number(value);
  return value !== undefined && value !== '' && Number.isFinite(seconds) ? seconds : undefined;
};

const required = (value: string | undefined, what: string): string => {
  if (!value) {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `No ${what}: the discovery document has none and the config sets none`,
    );
  }
  return value;
};

export const resolveOidcProvider = async (
  config: OidcConfig,
  http: HttpClient,
): Promise<ResolvedOidcProvider> => {
  const discovered: ProviderMetadata | undefined = config.issuer
    ? await discoverProvider(
        http,
        config.issuer,
        config.discoveryCacheSeconds ? config.discoveryCacheSeconds * 1000 : undefined,
      )
    : undefined;
  const verification = config.idTokenVerificationConfig;
  const issuer = verification?.issuer ?? config.issuer;
  const userInfoEndpoint =
    config.fetchUserInfo === false
      ? undefined
      : (config.userInfoEndpoint ?? discovered?.userinfo_endpoint);
  const customConfig = snakeCaseKeys(config.customConfig);

  return {
    authorizationEndpoint: required(
      config.authorizationEndpoint ?? discovered?.authorization_endpoint,
      '`authorizationEndpoint`',
    ),
    tokenEndpoint: required(config.tokenEndpoint ?? discovered?.token_endpoint, '`tokenEndpoint`'),
    client: clientCredentialsOf(config),
    scope: config.scope,
    // OIDC Core §3.1.2.1: a scope asked for by the sign-in request must still contain `openid`
    // (appended, as the official connector did).
    requiredScopes: ['openid'],
    appendRequiredScopes: true,
    pkce: pkceWanted(config.pkce, discovered?.code_challenge_methods_supported),
    nonce: true,
    /** The expected `iss`; undefined only for an official config that never named one. */
    ...(issuer !== undefined && { issuer }),
    // RFC 9207 §2.4: a provider that announces `iss` in every response must send it.
    ...(issuerRequiredBy(discovered) && { issuerRequired: true }),
    authorizationParameters: authorizationParametersOf(config),
    tokenParameters: { ...customConfig, ...config.tokenRequestParameters },
    ...requestShapingOf(config),
    jwksUri: required(
      verification?.jwksUri ?? discovered?.jwks_uri,
      '`idTokenVerificationConfig.jwksUri`',
    ),
    ...(userInfoEndpoint && { userInfoEndpoint }),
  };
};
