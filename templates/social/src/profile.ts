import { idText, optionalText } from '@idplug/base';
import type { SocialUserInfo } from '@logto/connector-kit';
import { z } from 'zod';

/** The fields of __displayName__'s userinfo answer that are used; adapt to its documentation. */
export const __camelName__ProfileGuard = z
  .object({
    sub: z.union([z.string(), z.number()]),
    name: z.string().nullish(),
    email: z.string().nullish(),
    email_verified: z.boolean().nullish(),
    picture: z.string().nullish(),
  })
  .passthrough();

export type __Name__Profile = z.infer<typeof __camelName__ProfileGuard>;

export const toSocialUserInfo = (profile: __Name__Profile): SocialUserInfo => {
  const name = optionalText(profile.name);
  const avatar = optionalText(profile.picture);
  // Only an address the provider verified may become the Logto email: an unverified one would let
  // anyone claim someone else's account.
  const email = profile.email_verified === true ? optionalText(profile.email) : undefined;
  return {
    id: idText(profile.sub) ?? '',
    ...(name && { name }),
    ...(email && { email }),
    ...(avatar && { avatar }),
    rawData: JSON.parse(JSON.stringify(profile)),
  };
};
