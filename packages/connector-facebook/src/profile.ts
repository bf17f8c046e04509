import { optionalText } from '@idplug/base';
import type { SocialUserInfo } from '@logto/connector-kit';
import { z } from 'zod';

/**
 * `GET /me?fields=id,name,email,picture` (https://developers.facebook.com/docs/graph-api/reference/user).
 * Facebook sends the app-scoped id as a string of digits, often beyond a double's exact range: a
 * numeric `id` is refused, as the official connector refuses it, rather than stored rounded.
 */
export const facebookUserGuard = z
  .object({
    id: z.string().regex(/^\d+$/, 'must be a string of digits'),
    name: z.string().nullish(),
    // Facebook leaves `email` out when the person has no usable (confirmed) address.
    email: z.string().nullish(),
    picture: z
      .object({ data: z.object({ url: z.string().nullish() }).passthrough().nullish() })
      .passthrough()
      .nullish(),
  })
  .passthrough();

export type FacebookUser = z.infer<typeof facebookUserGuard>;

/** The official connector's mapping: id, name, email and the picture URL, rawData the answer. */
export const toSocialUserInfo = (user: FacebookUser): SocialUserInfo => {
  const name = optionalText(user.name);
  const email = optionalText(user.email);
  const avatar = optionalText(user.picture?.data?.url);
  return {
    id: user.id,
    ...(name && { name }),
    ...(email && { email }),
    ...(avatar && { avatar }),
    rawData: JSON.parse(JSON.stringify(user)),
  };
};
