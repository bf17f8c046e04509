import { connectorError, idText, optionalText, valueAtPath } from '@idplug/base';
import { ConnectorErrorCodes, type SocialUserInfo } from '@logto/connector-kit';
import type { OAuth2Config } from './config';

/**
 * The profile response to Logto's user through `profileMap`. Paths may be nested (`data.user.id`);
 * the id may be a number; empty, null or non-text values are left out rather than failing.
 */
export const mapProfile = (
  profile: Record<string, unknown>,
  profileMap: OAuth2Config['profileMap'],
  providerName: string,
): SocialUserInfo => {
  const id = idText(valueAtPath(profile, profileMap.id));
  if (!id) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `The user info response of ${providerName} has no user id at \`${profileMap.id}\` (profileMap.id); check the profile map`,
      {
        provider: providerName,
        stage: 'userinfo',
        hint: `The response has the keys ${Object.keys(profile).slice(0, 20).join(', ')}`,
      },
    );
  }
  const text = (path: string) => optionalText(valueAtPath(profile, path));
  const email = text(profileMap.email);
  const phone = text(profileMap.phone);
  const name = text(profileMap.name);
  const avatar = text(profileMap.avatar);
  return {
    id,
    ...(email && { email }),
    ...(phone && { phone }),
    ...(name && { name }),
    ...(avatar && { avatar }),
    rawData: JSON.parse(JSON.stringify(profile)) as SocialUserInfo['rawData'],
  };
};
