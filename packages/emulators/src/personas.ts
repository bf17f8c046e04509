import type { AppleEmulatorAccount } from './apple';
import type { AzureAdEmulatorAccount } from './azuread';
import type { DiscordEmulatorUser } from './discord';
import type { FacebookEmulatorUser } from './facebook';
import type { GithubEmulatorAccount } from './github-api';
import type { GitlabEmulatorUser } from './gitlab';
import type { GoogleEmulatorAccount } from './google-api';
import type { OAuthEmulatorAccount } from './oauth-app-emulator';
import type { OidcEmulatorClaims } from './oidc-provider';

/**
 * Personas: the users whose profiles make connectors take their other branches (an unverified,
 * private or missing email, a phone number instead, a name outside ASCII). One list, written once
 * here; each emulator gets them in its own user shape through the mappers below, and offers them
 * on its sign-in page beside its default user when started with them (the playground does; tests
 * that do not ask keep the one default user).
 *
 * A provider that cannot have a persona leaves it out rather than invent a shape it never sends
 * (every Google account has an email address).
 */
export type Persona = {
  /** Short and stable: ids and subjects derive from it. */
  key: string;
  /** What this persona is for, shown next to its button. */
  trait: string;
  name: string;
  givenName: string;
  familyName: string;
  /** A login name in ASCII (GitHub and GitLab allow no other). */
  username: string;
  /**
   * `private`: the user keeps the address from apps (GitHub's hidden profile email, an OpenID
   * Provider that releases no `email` claim). Absent: the account has no email at all.
   */
  email?: { address: string; verified: boolean; visibility: 'public' | 'private' };
  /** E.164. */
  phone?: { number: string; verified: boolean };
  locale: string;
};

export const personas: readonly Persona[] = [
  {
    key: 'ada',
    trait: 'verified email',
    name: 'Ada Lovelace',
    givenName: 'Ada',
    familyName: 'Lovelace',
    username: 'ada-lovelace',
    email: { address: 'ada.lovelace@example.com', verified: true, visibility: 'public' },
    locale: 'en-GB',
  },
  {
    key: 'bo',
    trait: 'unverified email',
    name: 'Bo Tanaka',
    givenName: 'Bo',
    familyName: 'Tanaka',
    username: 'bo-tanaka',
    email: { address: 'bo.tanaka@example.net', verified: false, visibility: 'public' },
    locale: 'en',
  },
  {
    key: 'chen',
    trait: 'private email',
    name: 'Chen Jing',
    givenName: 'Jing',
    familyName: 'Chen',
    username: 'chen-jing',
    email: { address: 'chen.jing@example.org', verified: true, visibility: 'private' },
    locale: 'zh-CN',
  },
  {
    key: 'dana',
    trait: 'no email, a phone number',
    name: 'Dana Okafor',
    givenName: 'Dana',
    familyName: 'Okafor',
    username: 'dana-okafor',
    phone: { number: '+15555550123', verified: true },
    locale: 'en-US',
  },
  {
    key: 'jose',
    trait: 'unicode name',
    name: 'José Núñez 名前',
    givenName: 'José',
    familyName: 'Núñez 名前',
    username: 'jose-nunez',
    email: { address: 'jose.nunez@example.com', verified: true, visibility: 'public' },
    locale: 'es-ES',
  },
];

/** A persona's label on a sign-in page: "Bo Tanaka — unverified email". */
export const personaLabel = (persona: Persona): string => `${persona.name} — ${persona.trait}`;

/** Numeric ids far from the emulators' default users' (GitHub's 583231...). */
const numericIdOf = (persona: Persona): number => 9_100_000 + personas.indexOf(persona);

/**
 * GitHub: the profile's `email` is the public one (GitHub only lets a verified address be public);
 * `/user/emails` lists every address with its `verified` and `visibility` (docs.github.com/rest/users/emails).
 */
export const githubPersonaAccount = (persona: Persona): GithubEmulatorAccount => {
  const { email } = persona;
  return {
    label: personaLabel(persona),
    user: {
      id: numericIdOf(persona),
      login: persona.username,
      name: persona.name,
      email: email?.visibility === 'public' && email.verified ? email.address : null,
      avatar_url: `https://avatars.example.com/u/${numericIdOf(persona)}`,
    },
    emails:
      email === undefined
        ? []
        : [
            {
              email: email.address,
              primary: true,
              verified: email.verified,
              visibility: email.visibility,
            },
          ],
  };
};

/**
 * An OpenID Provider's claims (OIDC Core §5.1): a private email is not released at all, an
 * unverified one with `email_verified: false`; `phone_number` with its `phone_number_verified`.
 */
export const oidcPersonaClaims = (persona: Persona): OidcEmulatorClaims => {
  const { email, phone } = persona;
  return {
    name: persona.name,
    given_name: persona.givenName,
    family_name: persona.familyName,
    preferred_username: persona.username,
    username: persona.username,
    locale: persona.locale,
    ...(email !== undefined &&
      email.visibility === 'public' && { email: email.address, email_verified: email.verified }),
    ...(phone !== undefined && {
      phone_number: phone.number,
      phone_number_verified: phone.verified,
    }),
  };
};

/** The OpenID Provider emulator's accounts for every persona, by `sub`. */
export const oidcPersonaAccounts = (): Record<string, OidcEmulatorClaims> =>
  Object.fromEntries(
    personas.map((persona) => [`persona-${persona.key}`, oidcPersonaClaims(persona)]),
  );

/**
 * Google: every account has an address (a persona without one is left out) and Google releases it
 * under the `email` scope whatever its visibility; `email_verified` is false for an address
 * outside Gmail and Workspace that was never confirmed.
 */
export const googlePersonaAccounts = (): GoogleEmulatorAccount[] =>
  personas.flatMap((persona) =>
    persona.email === undefined
      ? []
      : [
          {
            sub: `1091${String(numericIdOf(persona)).padStart(17, '0')}`,
            email: persona.email.address,
            email_verified: persona.email.verified,
            name: persona.name,
            given_name: persona.givenName,
            family_name: persona.familyName,
            locale: persona.locale,
          },
        ],
  );

/**
 * Discord: `email` is null for an account without one (phone sign-up), and `verified` says whether
 * the address was confirmed (discord.com/developers/docs/resources/user); it cannot be hidden from
 * an app granted the `email` scope.
 */
export const discordPersonaAccount = (
  persona: Persona,
): OAuthEmulatorAccount<DiscordEmulatorUser> => ({
  label: personaLabel(persona),
  user: {
    id: `12000000000${numericIdOf(persona)}`,
    username: persona.username.replace(/-/g, '.'),
    discriminator: '0',
    global_name: persona.name,
    avatar: null,
    email: persona.email?.address ?? null,
    verified: persona.email?.verified ?? false,
  },
});

/**
 * Facebook: `/me` leaves `email` out when the person has no confirmed address or declined the
 * email permission (developers.facebook.com/docs/permissions: `email`), so an unverified, private
 * or missing address all come out as none.
 */
export const facebookPersonaAccount = (
  persona: Persona,
): OAuthEmulatorAccount<FacebookEmulatorUser> => ({
  label: personaLabel(persona),
  user: {
    id: `101600000${numericIdOf(persona)}`,
    name: persona.name,
    email:
      persona.email?.verified && persona.email.visibility === 'public'
        ? persona.email.address
        : null,
    pictureUrl: `https://platform-lookaside.example/picture/${numericIdOf(persona)}.jpg`,
  },
});

/**
 * GitLab: every account has a primary address (a persona without one is left out), unconfirmed
 * until `confirmed_at` is set; GitLab's OpenID userinfo releases it whatever the profile's public
 * email is.
 */
export const gitlabPersonaAccounts = (): OAuthEmulatorAccount<GitlabEmulatorUser>[] =>
  personas.flatMap((persona) =>
    persona.email === undefined
      ? []
      : [
          {
            label: personaLabel(persona),
            user: {
              id: numericIdOf(persona),
              username: persona.username,
              name: persona.name,
              email: persona.email.address,
              confirmed_at: persona.email.verified ? '2024-01-02T03:04:05.000Z' : null,
              avatar_url: 'https://secure.gravatar.com/avatar/0000?s=80&d=identicon',
            },
          },
        ],
  );

/**
 * Entra ID: a work account always has a user principal name; Graph's `mail` is null without a
 * mailbox (the private and no-email personas), `mobilePhone` is set for the phone persona, and an
 * unverified address is one whose domain owner is not verified (`xms_edov` false).
 */
export const azureAdPersonaAccounts = (): Record<string, AzureAdEmulatorAccount> =>
  Object.fromEntries(
    personas.map((persona) => [
      `AAAAAAAAAAAAAAAAAAAAAPersona${persona.key}`,
      {
        oid: `00000000-0000-4000-8000-${String(numericIdOf(persona)).padStart(12, '0')}`,
        displayName: persona.name,
        mail: persona.email?.visibility === 'public' ? persona.email.address : null,
        userPrincipalName: `${persona.username}@contoso.onmicrosoft.com`,
        mobilePhone: persona.phone?.number ?? null,
        emailDomainVerified: persona.email?.verified ?? false,
      },
    ]),
  );

/**
 * Apple: every Apple ID has a verified address, shared or hidden behind a private relay one
 * (`is_private_email`), so the unverified and no-email personas are left out; the private persona
 * signs in with a relay address (developer.apple.com: "Communicating using the private email
 * relay service").
 */
export const applePersonaAccounts = (): AppleEmulatorAccount[] =>
  personas.flatMap((persona) =>
    persona.email === undefined || !persona.email.verified
      ? []
      : [
          {
            sub: `001234.persona${persona.key}.${numericIdOf(persona)}`,
            email:
              persona.email.visibility === 'private'
                ? `${persona.key}-relay@privaterelay.appleid.com`
                : persona.email.address,
            firstName: persona.givenName,
            lastName: persona.familyName,
            label: personaLabel(persona),
          },
        ],
  );
