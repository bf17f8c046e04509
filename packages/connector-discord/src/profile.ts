import { optionalText } from '@idplug/base';
import type { SocialUserInfo } from '@logto/connector-kit';
import { z } from 'zod';

/**
 * The fields of `GET /users/@me` we use (https://discord.com/developers/docs/resources/user#user-object).
 * Discord sends snowflakes as JSON strings because they do not fit a double: a numeric `id` is
 * refused, as the official connector refuses it, rather than stored rounded.
 */
export const discordUserGuard = z
  .object({
    id: z.string().regex(/^\d+$/, 'must be a snowflake (a string of digits)'),
    username: z.string().nullish(),
    discriminator: z.string().nullish(),
    avatar: z.string().nullish(),
    email: z.string().nullish(),
    verified: z.boolean().nullish(),
  })
  .passthrough();

/** `GET /users/@me/guilds`: partial guilds, of which we keep the ids. */
export const discordGuildsGuard = z.array(z.object({ id: z.string() }).passthrough());

export type DiscordUser = z.infer<typeof discordUserGuard>;

/**
 * The avatar URL by Discord's CDN rules (https://discord.com/developers/docs/reference#image-formatting):
 * an `a_` hash is animated (GIF); no hash means a default avatar, chosen from the id for users on
 * the new username system (discriminator `0`: `(id >> 22) % 6`) and from the discriminator for
 * legacy users (`discriminator % 5`).
 */
export const avatarUrlOf = (user: DiscordUser, cdnBaseUrl: string): string => {
  const hash = optionalText(user.avatar);
  if (hash) {
    const extension = hash.startsWith('a_') ? 'gif' : 'png';
    return `${cdnBaseUrl}/avatars/${user.id}/${hash}.${extension}`;
  }
  const discriminator = Number(user.discriminator ?? '0');
  const index =
    Number.isInteger(discriminator) && discriminator > 0
      ? discriminator % 5
      : Number((BigInt(user.id) >> 22n) % 6n);
  return `${cdnBaseUrl}/embed/avatars/${index}.png`;
};

export const toSocialUserInfo = (
  user: DiscordUser,
  cdnBaseUrl: string,
  guildIds: string[] | undefined,
): SocialUserInfo => {
  // Like the official connector: the username is the name, and only a verified email counts.
  const name = optionalText(user.username);
  const email = user.verified === true ? optionalText(user.email) : undefined;
  return {
    id: user.id,
    ...(name && { name }),
    ...(email && { email }),
    avatar: avatarUrlOf(user, cdnBaseUrl),
    rawData: JSON.parse(JSON.stringify(guildIds ? { ...user, guildIds } : user)),
  };
};
