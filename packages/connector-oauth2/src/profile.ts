import { mapProfileClaims } from '@idplug/base';
import type { SocialUserInfo } from '@logto/connector-kit';
import type { OAuth2Config } from './config';

/**
 * The profile response to Logto's user through `profileMap`. Paths may be nested and reach into
 * arrays; the id may be a number; empty, null or non-text values are left out rather than failing.
 * An email or phone is checked against its verification claim only when the map names one: the
 * official connector had none, and configs it stored keep returning what they returned.
 */
export const mapProfile = (
  profile: Record<string, unknown>,
  config: Pick<OAuth2Config, 'profileMap' | 'trustUnverifiedEmail'>,
  providerName: string,
): SocialUserInfo =>
  mapProfileClaims(profile, config.profileMap, {
    providerName,
    verification: 'when-mapped',
    trustUnverifiedEmail: config.trustUnverifiedEmail,
  });
