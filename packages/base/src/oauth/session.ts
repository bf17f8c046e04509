import { ConnectorErrorCodes, type GetSession, type SetSession } from '@logto/connector-kit';
import { connectorError } from '../errors';

/**
 * Per-sign-in state lives in Logto's connector session (`setSession` / `getSession`), never in
 * module memory: Logto runs several instances behind a load balancer, and the callback may reach
 * another one than the authorization request.
 */

export type OAuthFlowSession = {
  redirectUri: string;
  state?: string;
  /** OIDC Core §3.1.2.1: sent in the request, required back in the ID token. */
  nonce?: string;
  /** RFC 7636: the PKCE verifier matching the challenge sent. */
  codeVerifier?: string;
};

export const saveFlowSession = async (setSession: SetSession, session: OAuthFlowSession) =>
  setSession(session);

export const readFlowSession = async (
  getSession: GetSession | undefined,
): Promise<OAuthFlowSession> => {
  let stored: Record<string, unknown> = {};
  try {
    stored = ((await getSession?.()) ?? {}) as Record<string, unknown>;
  } catch {
    stored = {};
  }
  const text = (key: string) =>
    typeof stored[key] === 'string' ? (stored[key] as string) : undefined;
  const redirectUri = text('redirectUri');
  if (!redirectUri) {
    throw connectorError(
      ConnectorErrorCodes.General,
      'The sign-in session has expired or was started elsewhere (no redirect URI in the connector session); start the sign-in again',
    );
  }
  const state = text('state');
  const nonce = text('nonce');
  const codeVerifier = text('codeVerifier');
  return {
    redirectUri,
    ...(state && { state }),
    ...(nonce && { nonce }),
    ...(codeVerifier && { codeVerifier }),
  };
};
