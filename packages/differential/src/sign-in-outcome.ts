import { startSocialSignIn } from '@idplug/testing';
import type { SocialConnector, SocialUserInfo, TokenResponse } from '@logto/connector-kit';
import { bypass, HttpResponse, http, passthrough, type RequestHandler } from 'msw';

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

const comparedFields = ['id', 'email', 'phone', 'name', 'avatar'] as const;

/** The user's id and profile fields, or the refusal, for `toEqual` between the two connectors. */
export const profileOf = (outcome: SignInOutcome) =>
  'user' in outcome
    ? Object.fromEntries(comparedFields.map((field) => [field, outcome.user[field]]))
    : outcome;

/**
 * A provider's real URL prefixes (`https://api.github.com/`) and the loopback emulator's prefix
 * serving the same API (`http://127.0.0.1:<port>/api/v3/`). The official connectors' endpoints are
 * fixed, so msw forwards their requests to the emulator ours is configured to call directly: both
 * then get their answers from the same emulator state.
 */
export type EmulatorRoutes = Record<string, string>;

export const routeToEmulator = (url: string, routes: EmulatorRoutes): string => {
  const prefix = Object.keys(routes).find((from) => url.startsWith(from));
  return prefix === undefined ? url : `${routes[prefix]}${url.slice(prefix.length)}`;
};

// Hop-by-hop and length headers belong to the original connection; fetch sets its own.
const unforwardedHeaders = ['host', 'connection', 'content-length', 'transfer-encoding'];

/**
 * msw handlers (for `ProviderMock.use`) that forward each routed provider request to the emulator,
 * bypassing msw, and let every loopback request (the emulator itself) through.
 */
export const forwardToEmulator = (routes: EmulatorRoutes): RequestHandler[] => [
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
  ...Object.keys(routes).map((prefix) =>
    http.all(`${prefix}*`, async ({ request }) => {
      const headers = new Headers(request.headers);
      for (const name of unforwardedHeaders) {
        headers.delete(name);
      }
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const answer = await fetch(
        bypass(routeToEmulator(request.url, routes), {
          method: request.method,
          headers,
          body: hasBody ? await request.arrayBuffer() : null,
          redirect: 'manual',
        }),
      );
      return new HttpResponse(await answer.arrayBuffer(), {
        status: answer.status,
        headers: answer.headers,
      });
    }),
  ),
];

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
