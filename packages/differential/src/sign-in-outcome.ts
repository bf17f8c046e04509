import { type EmulatorRoutes, routeToEmulator } from '@idplug/emulators';
import { startSocialSignIn } from '@idplug/testing';
import type { SocialConnector, SocialUserInfo, TokenResponse } from '@logto/connector-kit';

/**
 * One sign-in with a fixed code, as both connectors of a differential test run it: the user, or
 * that it was refused (the two must agree on refusals too), and the profile fields compared.
 */

export type SignInOutcome =
  | {
      user: SocialUserInfo /** With `storeTokens`: what Logto stores. */;
      tokenResponse?: TokenResponse;
    }
  | { refused: true };

const outcomeOf = async (
  signIn: () => Promise<
    SocialUserInfo | { userInfo: SocialUserInfo; tokenResponse?: TokenResponse }
  >,
): Promise<SignInOutcome> => {
  try {
    const result = await signIn();
    return 'userInfo' in result
      ? { user: result.userInfo, tokenResponse: result.tokenResponse }
      : { user: result };
  } catch {
    return { refused: true };
  }
};

export const signInOutcome = async (
  connector: SocialConnector,
  redirectUri: string,
  /** Sees the authorization URL first (e.g. to read the nonce a provider stub must echo). */
  onAuthorizationUrl?: (url: URL) => void,
): Promise<SignInOutcome> => {
  const { url, session } = await startSocialSignIn(connector, { redirectUri });
  onAuthorizationUrl?.(url);
  return outcomeOf(() => connector.getUserInfo({ code: 'code-1' }, session.getSession));
};

/** Forwarding an official connector's fixed provider URLs to an emulator (shared with the playground). */
export { type EmulatorRoutes, forwardToEmulator, routeToEmulator } from '@idplug/emulators';

const comparedFields = ['id', 'email', 'phone', 'name', 'avatar'] as const;

/** The user's id and profile fields, or the refusal, for `toEqual` between the two connectors. */
export const profileOf = (outcome: SignInOutcome) =>
  'user' in outcome
    ? Object.fromEntries(comparedFields.map((field) => [field, outcome.user[field]]))
    : outcome;

/**
 * One sign-in against an emulator that approves at once (`autoApprove`): the user agent's part
 * follows the authorization URL (routed, for an official connector) to the emulator's redirect
 * back, and the callback query plus `redirectUri` (what Logto's sign-in experience posts) goes to
 * `getUserInfo` with the session the authorization request stored.
 */
export const emulatorSignInOutcome = async (
  connector: SocialConnector,
  redirectUri: string,
  routes: EmulatorRoutes = {},
  /**
   * Finish with `getTokenResponseAndUserInfo`, as Logto does for a connector whose tokens it
   * stores (`isTokenStorageSupported`), instead of `getUserInfo`.
   */
  storeTokens = false,
): Promise<SignInOutcome> => {
  const { url, session } = await startSocialSignIn(connector, { redirectUri });
  const answer = await fetch(routeToEmulator(url.href, routes), { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || location === null || !location.startsWith(redirectUri)) {
    throw new Error(`The emulator did not redirect back to ${redirectUri}: ${answer.status}`);
  }
  const callback = Object.fromEntries(new URL(location).searchParams);
  const data = { ...callback, redirectUri };
  return outcomeOf(() =>
    storeTokens && connector.getTokenResponseAndUserInfo
      ? connector.getTokenResponseAndUserInfo(data, session.getSession)
      : connector.getUserInfo(data, session.getSession),
  );
};

/**
 * The token response Logto stores (`getTokenResponseAndUserInfo`), without what differs per code
 * exchange: the access token's value (its presence stays), and the ID token, which ours keeps and
 * the official connectors drop (the tests assert that apart). `token_type` is case-insensitive
 * (RFC 6749 §5.1): ours writes `Bearer` where GitHub answers `bearer`.
 */
export const storedTokensOf = (outcome: SignInOutcome) => {
  const tokens = 'user' in outcome ? outcome.tokenResponse : undefined;
  if (tokens === undefined) {
    return undefined;
  }
  const { access_token: accessToken, id_token: _idToken, token_type: tokenType, ...rest } = tokens;
  return { hasAccessToken: Boolean(accessToken), tokenType: tokenType?.toLowerCase(), ...rest };
};
