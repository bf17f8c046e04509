import { idText, optionalText } from '@idplug/base';
import type { SocialUserInfo } from '@logto/connector-kit';
import { z } from 'zod';

/**
 * `/oauth/userinfo` (OIDC Core §5.3; https://docs.gitlab.com/integration/openid_connect_provider/#shared-information).
 * `sub` is the user id as a string, as OIDC Core §5.1 requires; the official connector refuses
 * anything else, and so do we.
 */
export const gitlabUserInfoGuard = z
  .object({
    sub: z.string().min(1),
    name: z.string().nullish(),
    nickname: z.string().nullish(),
    email: z.string().nullish(),
    email_verified: z.boolean().nullish(),
    picture: z.string().nullish(),
  })
  .passthrough();

/** `GET /api/v4/user` (https://docs.gitlab.com/api/users/#for-non-administrator-users-1). */
export const gitlabApiUserGuard = z
  .object({
    id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
    username: z.string().nullish(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    confirmed_at: z.string().nullish(),
    avatar_url: z.string().nullish(),
  })
  .passthrough();

const withOptional = (
  id: string,
  fields: { name?: string; email?: string; avatar?: string },
  rawData: unknown,
): SocialUserInfo => ({
  id,
  ...(fields.name && { name: fields.name }),
  ...(fields.email && { email: fields.email }),
  ...(fields.avatar && { avatar: fields.avatar }),
  rawData: JSON.parse(JSON.stringify(rawData)),
});

/** As the official connector maps userinfo: `sub`, and the email only when `email_verified`. */
export const fromUserInfo = (claims: z.infer<typeof gitlabUserInfoGuard>): SocialUserInfo =>
  withOptional(
    claims.sub,
    {
      name: optionalText(claims.name),
      email: claims.email_verified === true ? optionalText(claims.email) : undefined,
      avatar: optionalText(claims.picture),
    },
    claims,
  );

/**
 * The REST API's user: the same number as the OIDC `sub`, as a string. The email counts as
 * verified when GitLab has a `confirmed_at` for the account (GitLab confirms the primary email).
 */
export const fromApiUser = (user: z.infer<typeof gitlabApiUserGuard>): SocialUserInfo =>
  withOptional(
    idText(user.id) ?? '',
    {
      name: optionalText(user.name) ?? optionalText(user.username),
      email: optionalText(user.confirmed_at) ? optionalText(user.email) : undefined,
      avatar: optionalText(user.avatar_url),
    },
    user,
  );
