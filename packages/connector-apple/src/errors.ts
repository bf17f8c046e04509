import { connectorError, oauthError, readOAuthError } from '@idplug/base';
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { providerName } from './constants';

/**
 * Apple's own readings of its errors, before base's RFC 6749 §5.2 table
 * (https://developer.apple.com/documentation/sign_in_with_apple/errorresponse).
 */

/**
 * `invalid_client` from the token endpoint. Apple says nothing more, and the usual cause is the
 * App ID (com.example.app) in `clientId` where the Services ID (com.example.web) belongs; after
 * that, a key of another team, a wrong Key ID, or a key that was revoked.
 */
export const invalidClientHint =
  '`clientId` must be the Services ID (such as com.example.web), not the App ID; then check that `teamId`, `keyId` and `privateKey` belong to one Sign in with Apple key of that team, and that the key was not revoked';

/** The token endpoint's error answers (code exchange and refresh). */
export const readAppleTokenError = (
  body: unknown,
  response?: { status: number },
): ConnectorError | undefined => {
  const fields = readOAuthError(body);
  if (fields?.error !== 'invalid_client') {
    return undefined;
  }
  return connectorError(
    ConnectorErrorCodes.InvalidConfig,
    `Apple refused the client (\`invalid_client\`): ${invalidClientHint}`,
    {
      provider: providerName,
      ...(response && { status: response.status }),
      providerCode: 'invalid_client',
      hint: invalidClientHint,
    },
  );
};

/**
 * The error Apple posts to the redirect URI instead of a code (`user_cancelled_authorize` when the
 * person closes the Apple dialog), or `undefined` when the callback carries none.
 */
export const callbackErrorOf = (data: Record<string, unknown>): ConnectorError | undefined => {
  const fields = readOAuthError(data);
  if (!fields) {
    return undefined;
  }
  if (fields.error === 'user_cancelled_authorize') {
    return connectorError(
      ConnectorErrorCodes.AuthorizationFailed,
      'The person cancelled Sign in with Apple',
      { provider: providerName, providerCode: fields.error },
    );
  }
  return oauthError(fields, providerName);
};
