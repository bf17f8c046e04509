import { ConnectorErrorCodes, type SocialUserInfo } from '@logto/connector-kit';
import { connectorError } from '../errors';

/**
 * Helpers to turn a provider's profile into Logto's `SocialUserInfo`: ids may be numbers, optional
 * strings may be null or blank, and an email or phone only counts when the provider verified it.
 */

/** A non-blank string, or undefined. */
export const optionalText = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** Provider ids are strings or numbers (GitHub's are numbers); anything else is no id. */
export const idText = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value)
    ? String(value)
    : typeof value === 'string' && value.trim() !== ''
      ? value
      : undefined;

/** Drops undefined fields; refuses a user without an id. */
export const assertSocialUserInfo = (
  userInfo: SocialUserInfo,
  providerName: string,
): SocialUserInfo => {
  if (typeof userInfo.id !== 'string' || userInfo.id === '') {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `${providerName} returned a profile without a user id`,
    );
  }
  return Object.fromEntries(
    Object.entries(userInfo).filter(([, value]) => value !== undefined),
  ) as SocialUserInfo;
};
