import {
  connectorError,
  getRemoteJwks,
  type HttpClient,
  listableIdTokenAlgorithms,
  mergeUserInfoClaims,
  type OAuthFlowSession,
  socialUserInfoFromMappedClaims,
  type TokenSet,
  verifyCodeFlowIdToken,
} from '@idplug/base';
import { ConnectorErrorCodes, type SocialUserInfo } from '@logto/connector-kit';
import { decodeJwt } from 'jose';
import type { OidcConfig } from './config';
import { maxAgeOf, type ResolvedOidcProvider } from './provider';

/**
 * From the token response to Logto's user: the ID token verified (OIDC Core §3.1.3.7), the
 * userinfo claims merged when there is an endpoint (§5.3), the claims mapped.
 */

const invalidIdToken = (providerName: string, reason: string) =>
  connectorError(
    ConnectorErrorCodes.SocialIdTokenInvalid,
    `The ID token from ${providerName} was rejected: ${reason}`,
  );

/**
 * An official config without `issuer` never checked `iss`. It is still required to be present;
 * set `issuer` (or `idTokenVerificationConfig.issuer`) to have it compared.
 */
const unverifiedIssuer = (idToken: string, providerName: string): string => {
  let iss: unknown;
  try {
    iss = decodeJwt(idToken).iss;
  } catch {
    throw invalidIdToken(providerName, 'it is not a well-formed JWT');
  }
  if (typeof iss !== 'string' || iss === '') {
    throw invalidIdToken(providerName, 'it has no `iss`');
  }
  return iss;
};

export type OidcUserInfoInput = {
  config: OidcConfig;
  http: HttpClient;
  provider: ResolvedOidcProvider;
  tokens: TokenSet;
  session: OAuthFlowSession;
  providerName: string;
  /** The userinfo request, shaped by the config (base's `fetchProfile`). */
  fetchProfile: (endpoint: string, providerName?: string) => Promise<Record<string, unknown>>;
};

export const userInfoFromTokens = async ({
  config,
  http,
  provider,
  tokens,
  session,
  providerName,
  fetchProfile,
}: OidcUserInfoInput): Promise<SocialUserInfo> => {
  const verification = config.idTokenVerificationConfig;
  // `none` and unknown names are dropped; HMAC stays when listed (keyed with the client secret).
  const algorithms = verification?.algorithms?.filter((algorithm) =>
    listableIdTokenAlgorithms.includes(algorithm),
  );
  const { claims } = await verifyCodeFlowIdToken(
    tokens,
    session,
    getRemoteJwks(provider.jwksUri, http),
    {
      issuer:
        provider.issuer ?? (tokens.id_token ? unverifiedIssuer(tokens.id_token, providerName) : ''),
      audience: config.clientId,
      providerName,
      ...(verification?.clockTolerance !== undefined && {
        clockToleranceSeconds: verification.clockTolerance,
      }),
      ...(maxAgeOf(config) !== undefined && { maxAgeSeconds: maxAgeOf(config) }),
      ...(algorithms?.length && { algorithms }),
      ...(config.trustedAudiences?.length && { trustedAudiences: config.trustedAudiences }),
      ...(config.clientSecret && { hmacSecret: config.clientSecret }),
    },
  );
  if (verification?.maxTokenAge !== undefined && typeof claims.iat === 'number') {
    const age = Math.floor(Date.now() / 1000) - claims.iat;
    if (age > verification.maxTokenAge + (verification.clockTolerance ?? 60)) {
      throw invalidIdToken(
        providerName,
        `it was issued more than ${verification.maxTokenAge} s ago`,
      );
    }
  }
  if (verification?.subject !== undefined && claims.sub !== verification.subject) {
    throw invalidIdToken(providerName, 'its `sub` is not the configured subject');
  }

  let merged: Record<string, unknown> = claims;
  if (provider.userInfoEndpoint) {
    const userInfo = await fetchProfile(provider.userInfoEndpoint, providerName);
    merged = mergeUserInfoClaims(claims, userInfo, providerName);
  }
  return socialUserInfoFromMappedClaims(merged, config.profileMap, {
    providerName,
    acceptStringBooleans: config.acceptStringTypedBooleanClaims,
    trustUnverifiedEmail: config.trustUnverifiedEmail,
  });
};
