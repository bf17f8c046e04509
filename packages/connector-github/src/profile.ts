import { idText, optionalText } from '@idplug/base';
import type { SocialUserInfo } from '@logto/connector-kit';
import { z } from 'zod';

/** The fields of `GET /user` we use (https://docs.github.com/rest/users/users#get-the-authenticated-user). */
export const githubUserGuard = z
  .object({
    id: z.union([z.number(), z.string()]),
    login: z.string().optional(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    avatar_url: z.string().nullish(),
  })
  .passthrough();

/** `GET /user/emails` (https://docs.github.com/rest/users/emails). */
export const githubEmailsGuard = z.array(
  z
    .object({
      email: z.string(),
      primary: z.boolean(),
      verified: z.boolean(),
      visibility: z.string().nullish(),
    })
    .passthrough(),
);

export type GithubUser = z.infer<typeof githubUserGuard>;
export type GithubEmail = z.infer<typeof githubEmailsGuard>[number];

/**
 * Only a verified address becomes the Logto email. With the email list: the public profile email
 * if it is verified there, else the verified primary one. Without it (a GitHub App lacking the
 * email permission answers 403): the public profile email, which GitHub only lets a user pick from
 * their verified addresses.
 */
export const chooseVerifiedEmail = (
  user: GithubUser,
  emails: GithubEmail[] | undefined,
): string | undefined => {
  const publicEmail = optionalText(user.email);
  if (!emails) {
    return publicEmail;
  }
  const verified = emails.filter((entry) => entry.verified);
  return (
    verified.find((entry) => entry.email === publicEmail)?.email ??
    verified.find((entry) => entry.primary)?.email
  );
};

export const toSocialUserInfo = (
  user: GithubUser,
  emails: GithubEmail[] | undefined,
  rawEmails: unknown,
): SocialUserInfo => {
  const email = chooseVerifiedEmail(user, emails);
  const name = optionalText(user.name) ?? optionalText(user.login);
  const avatar = optionalText(user.avatar_url);
  return {
    id: idText(user.id) ?? '',
    ...(name && { name }),
    ...(email && { email }),
    ...(avatar && { avatar }),
    rawData: JSON.parse(JSON.stringify({ userInfo: user, userEmails: rawEmails ?? null })),
  };
};
