import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

/**
 * The one error table of the repository: every provider error a connector can meet is turned into
 * a connector-kit `ConnectorError` here, never in a connector. Logto answers anything that is not a
 * `ConnectorError` with a 500, so nothing else may escape a connector.
 */

/** Extra fields a connector error carries next to its human message. */
export type ConnectorErrorDetails = Record<string, unknown>;

/** Builds a `ConnectorError` whose `data` is `{ message, ...details }`: readable in Logto's console. */
export const connectorError = (
  code: ConnectorErrorCodes,
  message: string,
  details: ConnectorErrorDetails = {},
): ConnectorError => new ConnectorError(code, { message, ...details });

/**
 * `usage_limit_exceeded` exists since connector-kit 5.1; with 4.x (Logto 1.37 and older) the enum
 * has no such member, so fall back to the nearest older code.
 */
export const usageLimitExceededCode = (): ConnectorErrorCodes =>
  (ConnectorErrorCodes as Record<string, ConnectorErrorCodes>).UsageLimitExceeded ??
  ConnectorErrorCodes.RateLimitExceeded;

/**
 * OAuth 2.0 error codes (RFC 6749 §4.1.2.1 and §5.2) and GitHub's own names for the same
 * conditions, mapped to connector-kit codes. Codes not listed map to `general`.
 */
const oauthErrorTable: Readonly<Record<string, ConnectorErrorCodes>> = {
  // The code is wrong, expired or already used.
  invalid_grant: ConnectorErrorCodes.SocialAuthCodeInvalid,
  bad_verification_code: ConnectorErrorCodes.SocialAuthCodeInvalid,
  // The operator's client registration does not match the configuration.
  invalid_client: ConnectorErrorCodes.InvalidConfig,
  unauthorized_client: ConnectorErrorCodes.InvalidConfig,
  incorrect_client_credentials: ConnectorErrorCodes.InvalidConfig,
  redirect_uri_mismatch: ConnectorErrorCodes.InvalidConfig,
  // The person said no at the provider.
  access_denied: ConnectorErrorCodes.AuthorizationFailed,
  // RFC 8628 §3.5's throttling answer, also used by some providers on the token endpoint.
  slow_down: ConnectorErrorCodes.RateLimitExceeded,
};

/** The connector-kit code for an OAuth `error` value (RFC 6749 §5.2), `general` when unknown. */
export const mapOAuthErrorCode = (error: string): ConnectorErrorCodes =>
  oauthErrorTable[error] ?? ConnectorErrorCodes.General;

/** What an RFC 6749 §5.2 error body (or a callback's error query) carries. */
export type OAuthErrorFields = {
  error: string;
  error_description?: string;
  error_uri?: string;
};

/** Reads `error`, `error_description` and `error_uri` from a parsed body, if it is an OAuth error. */
export const readOAuthError = (body: unknown): OAuthErrorFields | undefined => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return undefined;
  }
  const { error, error_description, error_uri } = body as Record<string, unknown>;
  if (typeof error !== 'string' || error.length === 0) {
    return undefined;
  }
  return {
    error,
    ...(typeof error_description === 'string' && { error_description }),
    ...(typeof error_uri === 'string' && { error_uri }),
  };
};

/** A `ConnectorError` for an OAuth error answered by `provider` (a host name or a display name). */
export const oauthError = (fields: OAuthErrorFields, provider: string): ConnectorError => {
  const code = mapOAuthErrorCode(fields.error);
  const description = fields.error_description ? `: ${fields.error_description}` : '';
  return connectorError(code, `${provider} answered \`${fields.error}\`${description}`, {
    error: fields.error,
    ...(fields.error_description && { errorDescription: fields.error_description }),
    ...(fields.error_uri && { errorUri: fields.error_uri }),
  });
};
