import { ConnectorErrorCodes, type SocialUserInfo } from '@logto/connector-kit';
import { connectorError } from '../errors';
import { optionalText } from './user-info';

/**
 * OpenID Connect claims (OIDC Core §5.1) to Logto's `SocialUserInfo`, shared by every connector
 * that reads an ID token or a userinfo response (OIDC, Google, another Logto as the provider).
 *
 * - `id` is `sub`.
 * - `email` only when `email_verified` is true, unless the operator trusts unverified emails.
 * - `phone` from the standard `phone_number` / `phone_number_verified` (OIDC Core §5.1), or the
 *   non-standard `phone` / `phone_verified` older providers and Logto's official connector use;
 *   only when verified.
 * - `name` from `name`, then `preferred_username`, then `username` (Logto releases `username`).
 * - `avatar` from `picture`.
 * - String booleans (`"true"`) count only when the operator accepts them.
 */

export type OidcClaims = Record<string, unknown>;

export type OidcClaimMappingOptions = {
  /** Accept `"true"` / `"false"` (and `"1"`, `"yes"`) for boolean claims. @default false */
  acceptStringBooleans?: boolean;
  /** Use `email` even when `email_verified` is missing or false. @default false */
  trustUnverifiedEmail?: boolean;
};

const trueStrings = new Set(['true', '1', 'yes']);
const falseStrings = new Set(['false', '0', 'no']);

/**
 * A boolean claim: `true`/`false`, or with `acceptStrings` also their string spellings. Anything
 * else (including a string when strings are not accepted) is `undefined`: "not asserted".
 */
export const readBooleanClaim = (value: unknown, acceptStrings = false): boolean | undefined => {
  if (typeof value === 'boolean') {
    return value;
  }
  if (acceptStrings && typeof value === 'string') {
    const normalized = value.trim().toLowerCase();
    if (trueStrings.has(normalized)) {
      return true;
    }
    if (falseStrings.has(normalized)) {
      return false;
    }
  }
  return undefined;
};

/** The verified phone number: standard claims first, then the legacy `phone` / `phone_verified`. */
const verifiedPhone = (claims: OidcClaims, acceptStrings: boolean): string | undefined => {
  const candidates: Array<[unknown, unknown]> = [
    [claims.phone_number, claims.phone_number_verified],
    [claims.phone, claims.phone_verified],
  ];
  for (const [phone, verified] of candidates) {
    const text = optionalText(phone);
    if (text && readBooleanClaim(verified, acceptStrings) === true) {
      return text;
    }
  }
  return undefined;
};

/** Maps OIDC claims to Logto's `SocialUserInfo`; `rawData` carries every claim. */
export const socialUserInfoFromClaims = (
  claims: OidcClaims,
  options: OidcClaimMappingOptions = {},
): SocialUserInfo => {
  const acceptStrings = options.acceptStringBooleans ?? false;
  const sub = optionalText(claims.sub);
  if (!sub) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      'The provider returned claims without a `sub` (subject identifier)',
    );
  }
  const email = optionalText(claims.email);
  const emailVerified = readBooleanClaim(claims.email_verified, acceptStrings) === true;
  const name =
    optionalText(claims.name) ??
    optionalText(claims.preferred_username) ??
    optionalText(claims.username);
  const avatar = optionalText(claims.picture);
  const phone = verifiedPhone(claims, acceptStrings);
  return {
    id: sub,
    ...(name && { name }),
    ...(avatar && { avatar }),
    ...(email && (emailVerified || options.trustUnverifiedEmail) && { email }),
    ...(phone && { phone }),
    rawData: JSON.parse(JSON.stringify(claims)) as SocialUserInfo['rawData'],
  };
};

/** Claims of the ID token that describe the token itself; userinfo must not replace them. */
const tokenClaims = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'nbf',
  'nonce',
  'azp',
  'auth_time',
  'acr',
  'amr',
  'at_hash',
  'c_hash',
  'sid',
  'jti',
]);

const verifiedPairs = [
  ['email', 'email_verified'],
  ['phone_number', 'phone_number_verified'],
  ['phone', 'phone_verified'],
] as const;

/**
 * Merges a userinfo response (OIDC Core §5.3.2) into the ID token's claims. Its `sub` MUST equal
 * the ID token's, or the response is not about this person and is refused. Userinfo values win for
 * profile claims (they are current); the ID token's own token claims are kept.
 */
export const mergeUserInfoClaims = (
  idTokenClaims: OidcClaims,
  userInfoClaims: OidcClaims,
  providerName: string,
): OidcClaims => {
  if (userInfoClaims.sub !== idTokenClaims.sub) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `The userinfo response of ${providerName} is about another subject than the ID token (OIDC Core §5.3.2); it was not used`,
    );
  }
  const merged: OidcClaims = { ...idTokenClaims };
  for (const [name, value] of Object.entries(userInfoClaims)) {
    if (!tokenClaims.has(name) && value !== undefined && value !== null) {
      merged[name] = value;
    }
  }
  // A verification flag belongs to the value it came with: a different email or phone from
  // userinfo without its own flag is not verified by the ID token's.
  for (const [value, flag] of verifiedPairs) {
    if (
      userInfoClaims[value] !== undefined &&
      userInfoClaims[value] !== idTokenClaims[value] &&
      userInfoClaims[flag] === undefined
    ) {
      delete merged[flag];
    }
  }
  return merged;
};
