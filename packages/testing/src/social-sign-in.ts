import type { SocialConnector } from '@logto/connector-kit';
import { createConnectorSession } from './msw';

/**
 * A sign-in the way Logto runs one: `getAuthorizationUri` with a fresh connector session (where
 * the connector keeps state, nonce, PKCE verifier and redirect URI), then `getUserInfo` with the
 * provider's callback query and that same session.
 */

export type SocialSignInRequest = {
  /** @default 'https://logto.example.com/callback' */
  redirectUri?: string;
  /** @default 'state-1' */
  state?: string;
  /** The sign-in request's own scope; left out when undefined. */
  scope?: string;
  /** Any other member of Logto's request (`connectorId`, `connectorFactoryId`, `headers`...). */
  [member: string]: unknown;
};

/** `getAuthorizationUri` with a fresh session: the authorization URL, and the session it filled. */
export const startSocialSignIn = async (
  connector: SocialConnector,
  {
    redirectUri = 'https://logto.example.com/callback',
    state = 'state-1',
    scope,
    ...extra
  }: SocialSignInRequest = {},
) => {
  const session = createConnectorSession();
  const url = new URL(
    await connector.getAuthorizationUri(
      {
        state,
        redirectUri,
        connectorId: 'connector-id',
        connectorFactoryId: 'connector-factory-id',
        jti: 'jti',
        headers: {},
        ...(scope !== undefined && { scope }),
        ...extra,
      },
      session.setSession,
    ),
  );
  return { url, session };
};

/** `startSocialSignIn`, then `getUserInfo` with the callback query and the same session. */
export const completeSocialSignIn = async (
  connector: SocialConnector,
  callback: Record<string, string>,
  request: SocialSignInRequest = {},
) => {
  const { session } = await startSocialSignIn(connector, request);
  return connector.getUserInfo(callback, session.getSession);
};
