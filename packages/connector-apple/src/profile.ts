import { connectorError, optionalText, readBooleanClaim } from '@idplug/base';
import { ConnectorErrorCodes, type SocialUserInfo } from '@logto/connector-kit';

/**
 * Apple's verified ID token and the form_post `user` field, as Logto's user.
 * https://developer.apple.com/documentation/sign_in_with_apple/authenticating-users-with-sign-in-with-apple
 *
 * - `id` is the token's `sub`, as in the official connector.
 * - `email` only from the verified token, and only when `email_verified` is true; Apple sends it
 *   as `true` or as the string `"true"`. Private relay addresses (`…@privaterelay.appleid.com`)
 *   are emails like any other: mail to them reaches the person.
 * - `name` from `user`, which Apple posts on the first sign-in only (later sign-ins carry no
 *   name, and Logto keeps the stored one). `user` is not signed, so its `email` is never used:
 *   anyone can post another address there.
 */

export type AppleClaims = Record<string, unknown>;

export type AppleUserField = {
  name?: { firstName?: string; lastName?: string };
  email?: string;
};

/** The `user` field as Logto hands it over (a JSON string) or already parsed; never throws. */
export const readUserField = (value: unknown): AppleUserField | undefined => {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return undefined;
  }
  const { name, email } = parsed as Record<string, unknown>;
  const names = name && typeof name === 'object' ? (name as Record<string, unknown>) : {};
  const firstName = optionalText(names.firstName)?.trim();
  const lastName = optionalText(names.lastName)?.trim();
  const text = optionalText(email);
  return {
    ...((firstName || lastName) && {
      name: { ...(firstName && { firstName }), ...(lastName && { lastName }) },
    }),
    ...(text && { email: text }),
  };
};

/** "Ada Lovelace" from `{ firstName: 'Ada', lastName: 'Lovelace' }`, the official connector's order. */
export const fullNameOf = (user: AppleUserField | undefined): string | undefined => {
  const name = [user?.name?.firstName, user?.name?.lastName].filter(Boolean).join(' ');
  return name === '' ? undefined : name;
};

export const userInfoOf = (claims: AppleClaims, userField: unknown): SocialUserInfo => {
  const sub = optionalText(claims.sub);
  if (!sub) {
    throw connectorError(
      ConnectorErrorCodes.SocialIdTokenInvalid,
      'The ID token from Apple was rejected: its `sub` is not a user identifier',
    );
  }
  const user = readUserField(userField);
  const email = optionalText(claims.email);
  const emailVerified = readBooleanClaim(claims.email_verified, true) === true;
  const name = fullNameOf(user);
  return {
    id: sub,
    ...(email && emailVerified && { email }),
    ...(name && { name }),
    rawData: JSON.parse(JSON.stringify({ ...claims, ...(user && { user }) })),
  };
};
