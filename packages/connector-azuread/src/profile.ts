import { idText, optionalText, readBooleanClaim } from '@idplug/base';
import type { SocialUserInfo } from '@logto/connector-kit';
import type { JWTPayload } from 'jose';
import { z } from 'zod';

/**
 * Graph `GET /me` (https://learn.microsoft.com/graph/api/user-get) to Logto's user. `id` is the
 * user id the official connector returns; `mail` is the only source of the email.
 */
export const graphUserGuard = z
  .object({
    id: z.string().min(1),
    displayName: z.string().nullish(),
    mail: z.string().nullish(),
    mobilePhone: z.string().nullish(),
    userPrincipalName: z.string().nullish(),
  })
  .passthrough();

export type GraphUser = z.infer<typeof graphUserGuard>;

/**
 * A phone number Graph holds as free text ("+1 425 555 0109") as E.164 (`+14255550109`), or
 * `undefined` when it is not one: without its country code a number is ambiguous
 * (ITU-T E.164: `+`, then at most 15 digits, the first not 0).
 */
export const e164Of = (value: unknown): string | undefined => {
  const text = optionalText(value)?.trim();
  if (!text || !/^\+[\d\s().-]+$/.test(text)) {
    return undefined;
  }
  const digits = text.slice(1).replace(/[\s().-]/g, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : undefined;
};

export type ProfileOptions = {
  subjectSource: 'graph' | 'oidc';
  requireVerifiedEmailDomain: boolean;
};

/**
 * Only `mail` becomes the email, never `userPrincipalName` or the ID token's `preferred_username`
 * / `email`: those are names a tenant admin types, not addresses anyone verified, and linking
 * accounts on them lets one tenant's admin take over another's users ("nOAuth",
 * https://msrc.microsoft.com/blog/2023/06/potential-risk-of-privilege-escalation-in-azure-ad-applications/).
 * `mail` is admin-set too in a tenant the operator does not control; with
 * `requireVerifiedEmailDomain` it counts only when `xms_edov` says the domain's owner is verified.
 */
export const toSocialUserInfo = (
  user: GraphUser,
  claims: JWTPayload,
  rawData: unknown,
  options: ProfileOptions,
): SocialUserInfo => {
  const id = options.subjectSource === 'oidc' ? idText(claims.sub) : user.id;
  const mail = optionalText(user.mail);
  const email =
    mail &&
    (!options.requireVerifiedEmailDomain || readBooleanClaim(claims.xms_edov, true) === true)
      ? mail
      : undefined;
  const name = optionalText(user.displayName);
  const phone = e164Of(user.mobilePhone);
  return {
    id: id ?? '',
    ...(email && { email }),
    ...(name && { name }),
    ...(phone && { phone }),
    rawData: JSON.parse(JSON.stringify(rawData ?? null)),
  };
};
