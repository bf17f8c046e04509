import { startSocialSignIn } from '@idplug/testing';
import type { SocialConnector, SocialUserInfo } from '@logto/connector-kit';

/**
 * One sign-in with a fixed code, as both connectors of a differential test run it: the user, or
 * that it was refused (the two must agree on refusals too), and the profile fields compared.
 */

export type SignInOutcome = { user: SocialUserInfo } | { refused: true };

export const signInOutcome = async (
  connector: SocialConnector,
  redirectUri: string,
  /** Sees the authorization URL first (e.g. to read the nonce a provider stub must echo). */
  onAuthorizationUrl?: (url: URL) => void,
): Promise<SignInOutcome> => {
  const { url, session } = await startSocialSignIn(connector, { redirectUri });
  onAuthorizationUrl?.(url);
  try {
    return { user: await connector.getUserInfo({ code: 'code-1' }, session.getSession) };
  } catch {
    return { refused: true };
  }
};

const comparedFields = ['id', 'email', 'phone', 'name', 'avatar'] as const;

/** The user's id and profile fields, or the refusal, for `toEqual` between the two connectors. */
export const profileOf = (outcome: SignInOutcome) =>
  'user' in outcome
    ? Object.fromEntries(comparedFields.map((field) => [field, outcome.user[field]]))
    : outcome;
