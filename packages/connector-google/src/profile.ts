import { connectorError, socialUserInfoFromClaims } from '@idplug/base';
import { ConnectorErrorCodes, type SocialUserInfo } from '@logto/connector-kit';

/**
 * Google's claims (ID token, userinfo) to Logto's `SocialUserInfo`. The mapping is base's OIDC
 * one; the merge is Google's own, because the issue wants the verified token to win and userinfo
 * only to fill gaps, while base's `mergeUserInfoClaims` lets userinfo win for profile claims.
 * https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload
 */

export type GoogleClaims = Record<string, unknown>;

/** Scopes that make Google include the email claims, or the profile claims. */
const emailScopes = ['email', 'https://www.googleapis.com/auth/userinfo.email'];
const profileScopes = ['profile', 'https://www.googleapis.com/auth/userinfo.profile'];
const profileClaims = ['name', 'given_name', 'family_name', 'picture'];

/**
 * Whether the userinfo endpoint must be asked for claims the ID token lacks: only for claims the
 * granted scopes cover (asking for the email of a person who did not grant `email` is pointless).
 */
export const needsUserinfo = (claims: GoogleClaims, grantedScope: string): boolean => {
  const scopes = grantedScope.split(/\s+/);
  const missingEmail = scopes.some((scope) => emailScopes.includes(scope)) && !('email' in claims);
  const missingProfile =
    scopes.some((scope) => profileScopes.includes(scope)) &&
    profileClaims.some((claim) => !(claim in claims));
  return missingEmail || missingProfile;
};

/**
 * The verified ID token's claims completed by the userinfo response, which fills in ONLY claims
 * the token lacks. `email_verified` travels with `email`: a userinfo email never borrows the
 * token's verification flag. The userinfo `sub` must be the token's (OIDC Core §5.3.2), otherwise
 * the response is not used at all.
 */
export const mergeUserinfo = (claims: GoogleClaims, fields: GoogleClaims): GoogleClaims => {
  if (fields.sub !== claims.sub) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      'The userinfo response from Google is about another user than the ID token (`sub` differs)',
    );
  }
  const merged: GoogleClaims = { ...claims };
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'email_verified' || name === 'hd' || name in merged) {
      continue;
    }
    merged[name] = value;
  }
  if (!('email' in claims) && 'email' in fields) {
    merged.email_verified = fields.email_verified;
  }
  return merged;
};

/**
 * Google's claims as Logto's user, through base's OIDC mapping: the email only when Google
 * verified it (string booleans accepted: Google's legacy tokeninfo answers carry them).
 */
export const userInfoOf = (claims: GoogleClaims): SocialUserInfo =>
  socialUserInfoFromClaims(claims, { acceptStringBooleans: true });
