import type { SocialUserInfo } from '@logto/connector-kit';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { z } from 'zod';
import { connectorError } from '../errors';
import {
  type OidcClaimMappingOptions,
  readBooleanClaim,
  socialUserInfoFromClaims,
} from './oidc-claims';
import { idText, optionalText } from './user-info';

/**
 * Claim mapping for providers that do not follow the standard (Keycloak's mappers and Auth.js's
 * `profile()` answer the same need): where the id, email, phone, name and avatar are in a profile
 * or claims object, as data. A target takes a path or an ordered list of fallback paths; a path
 * reaches into nested objects and arrays (`data.user.id`, `emails[0].value`). Paths are parsed
 * here, never evaluated: no `eval`, no template engine, and the segments that reach a prototype
 * (`__proto__`, `constructor`, `prototype`) are refused when the config is validated.
 */

const forbiddenSegments = new Set(['__proto__', 'constructor', 'prototype']);
/** `name`, `name[0]`, `name[0][1]`: a key, then any number of indexes. */
const segmentPattern = /^([^.[\]]+)((?:\[\d{1,4}\])*)$/;
const maxPathLength = 200;
const maxFallbacks = 10;

/** A parsed path: keys and array indexes, or `undefined` when the text is not a path. */
export const parseProfilePath = (path: string): Array<string | number> | undefined => {
  if (path.length === 0 || path.length > maxPathLength) {
    return undefined;
  }
  const segments: Array<string | number> = [];
  for (const part of path.split('.')) {
    const match = segmentPattern.exec(part);
    if (!match?.[1] || forbiddenSegments.has(match[1])) {
      return undefined;
    }
    segments.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) {
      segments.push(Number(index[1]));
    }
  }
  return segments;
};

/** The value at `path` in `object`, through own properties and array items only. */
export const readProfilePath = (object: unknown, path: string): unknown => {
  const segments = parseProfilePath(path);
  if (!segments) {
    return undefined;
  }
  let current: unknown = object;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      current = Array.isArray(current) ? current[segment] : undefined;
    } else if (
      current !== null &&
      typeof current === 'object' &&
      !Array.isArray(current) &&
      Object.hasOwn(current, segment)
    ) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
};

const profilePathGuard = z
  .string()
  .trim()
  .superRefine((path, context) => {
    if (!parseProfilePath(path)) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be a dot path such as \`data.user.id\` or \`emails[0].value\` (at most ${maxPathLength} characters; \`__proto__\`, \`constructor\` and \`prototype\` are refused)`,
      });
    }
  });

/** One path, or an ordered list of fallback paths (the first with a value wins). */
export const profilePathsGuard = z.union([
  profilePathGuard,
  z.array(profilePathGuard).min(1).max(maxFallbacks, `at most ${maxFallbacks} fallback paths`),
]);

export type ProfilePaths = z.infer<typeof profilePathsGuard>;

/** Where each of Logto's user fields is; an unset target keeps the connector's default. */
export type ProfileMap = {
  id?: ProfilePaths;
  email?: ProfilePaths;
  phone?: ProfilePaths;
  name?: ProfilePaths;
  avatar?: ProfilePaths;
  /** A boolean claim (or `"true"`/`"false"`) saying the email is verified. */
  emailVerified?: ProfilePaths;
  /** A boolean claim (or `"true"`/`"false"`) saying the phone is verified. */
  phoneVerified?: ProfilePaths;
};

/** The extended `profileMap` config object; every target optional, unknown keys dropped. */
export const profileMapGuard = z.object({
  id: profilePathsGuard.optional(),
  email: profilePathsGuard.optional(),
  phone: profilePathsGuard.optional(),
  name: profilePathsGuard.optional(),
  avatar: profilePathsGuard.optional(),
  emailVerified: profilePathsGuard.optional(),
  phoneVerified: profilePathsGuard.optional(),
});

const pathsOf = (paths: ProfilePaths | undefined): readonly string[] =>
  paths === undefined ? [] : typeof paths === 'string' ? [paths] : paths;

/** The first value found along the fallback paths that `accept` takes. */
const firstValue = <T>(
  profile: unknown,
  paths: ProfilePaths | undefined,
  accept: (value: unknown) => T | undefined,
): T | undefined => {
  for (const path of pathsOf(paths)) {
    const value = accept(readProfilePath(profile, path));
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
};

export type ProfileMappingOptions = {
  /** Display name for messages. */
  providerName: string;
  /**
   * When an email or phone needs its verification claim to read true: `always`, or only
   * `when-mapped` (a target without a verification path is returned as found: the official OAuth
   * 2.0 connector's behaviour, kept for the configs it stored). @default 'always'
   */
  verification?: 'always' | 'when-mapped';
  /** Return a mapped email even when it is not verified. @default false */
  trustUnverifiedEmail?: boolean;
  /**
   * The verification claims read when the map names none (OIDC's `email_verified`), their string
   * spellings counting only with `acceptStringBooleans`. A verification path the map names always
   * reads `"true"`/`"false"` too: the operator named that claim knowing its shape.
   */
  verificationDefaults?: {
    email?: ProfilePaths;
    phone?: ProfilePaths;
    acceptStringBooleans: boolean;
  };
};

/** A profile to Logto's user through a complete map (the connector merged its defaults in). */
export const mapProfileClaims = (
  profile: Record<string, unknown>,
  map: ProfileMap,
  {
    providerName,
    verification = 'always',
    trustUnverifiedEmail = false,
    verificationDefaults,
  }: ProfileMappingOptions,
): SocialUserInfo => {
  const id = firstValue(profile, map.id, idText);
  if (!id) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `The profile from ${providerName} has no user id at ${pathsOf(map.id)
        .map((path) => `\`${path}\``)
        .join(', ')} (profileMap.id); check the profile map`,
      {
        provider: providerName,
        stage: 'userinfo',
        hint: `The response has the keys ${Object.keys(profile).slice(0, 20).join(', ')}`,
      },
    );
  }
  const isVerified = (paths: ProfilePaths | undefined, fallback: ProfilePaths | undefined) => {
    if (paths !== undefined) {
      return firstValue(profile, paths, (value) => readBooleanClaim(value, true)) === true;
    }
    if (fallback !== undefined) {
      const acceptStrings = verificationDefaults?.acceptStringBooleans ?? false;
      return (
        firstValue(profile, fallback, (value) => readBooleanClaim(value, acceptStrings)) === true
      );
    }
    return verification === 'when-mapped';
  };
  const email = firstValue(profile, map.email, optionalText);
  const phone = firstValue(profile, map.phone, optionalText);
  const name = firstValue(profile, map.name, optionalText);
  const avatar = firstValue(profile, map.avatar, optionalText);
  const emailAllowed =
    trustUnverifiedEmail || isVerified(map.emailVerified, verificationDefaults?.email);
  const phoneAllowed = isVerified(map.phoneVerified, verificationDefaults?.phone);
  return {
    id,
    ...(email && emailAllowed && { email }),
    ...(phone && phoneAllowed && { phone }),
    ...(name && { name }),
    ...(avatar && { avatar }),
    rawData: JSON.parse(JSON.stringify(profile)) as SocialUserInfo['rawData'],
  };
};

/**
 * OIDC claims (ID token merged with userinfo) to Logto's user, with an operator's `profileMap`
 * over the standard mapping (`socialUserInfoFromClaims`): a target the map names is read from its
 * paths, every other one exactly as without a map, so a config without `profileMap` signs in as
 * before. A mapped email or phone still needs its verification claim (the mapped one, else
 * `email_verified` / `phone_number_verified`) unless the email is trusted unverified.
 */
export const socialUserInfoFromMappedClaims = (
  claims: Record<string, unknown>,
  map: ProfileMap | undefined,
  options: OidcClaimMappingOptions & { providerName: string },
): SocialUserInfo => {
  const standard = socialUserInfoFromClaims(claims, options);
  if (!map || Object.values(map).every((paths) => paths === undefined)) {
    return standard;
  }
  const mapped = mapProfileClaims(
    claims,
    {
      ...map,
      id: map.id ?? 'sub',
      email: map.email ?? 'email',
      phone: map.phone ?? ['phone_number', 'phone'],
    },
    {
      providerName: options.providerName,
      verification: 'always',
      trustUnverifiedEmail: options.trustUnverifiedEmail ?? false,
      verificationDefaults: {
        email: 'email_verified',
        phone: ['phone_number_verified', 'phone_verified'],
        acceptStringBooleans: options.acceptStringBooleans ?? false,
      },
    },
  );
  const from = (mappedHere: boolean) => (mappedHere ? mapped : standard);
  const id = from(map.id !== undefined).id;
  const email = from(map.email !== undefined || map.emailVerified !== undefined).email;
  const phone = from(map.phone !== undefined || map.phoneVerified !== undefined).phone;
  const name = from(map.name !== undefined).name;
  const avatar = from(map.avatar !== undefined).avatar;
  return {
    id,
    ...(email && { email }),
    ...(phone && { phone }),
    ...(name && { name }),
    ...(avatar && { avatar }),
    rawData: standard.rawData,
  };
};
