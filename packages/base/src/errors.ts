import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

/**
 * The one error table of the repository: every provider error a connector can meet is turned into
 * a connector-kit `ConnectorError` here, never in a connector. Logto answers anything that is not a
 * `ConnectorError` with a 500, so nothing else may escape a connector.
 */

/**
 * What `ConnectorError.data` holds, whatever raised the error (HTTP client, OAuth core, Aliyun RPC,
 * SMTP, config), so Logto's console, logs and tests read one shape. Never a secret: every error
 * leaves a connector through `SecretRedactor`, which redacts these fields by value.
 */
export type ConnectorErrorData = {
  /** A sentence a person can act on (the same text as the error's message). */
  message: string;
  /**
   * Who answered or what was being talked to: the provider's display name ("GitHub"), a host
   * (`login.example.com`), or `host:port` for SMTP. Filled with the connector's provider name at
   * the connector boundary when the code that raised the error did not know it.
   */
  provider: string;
  /** The HTTP status (or SMTP reply code) of the answer that failed. */
  status?: number;
  /** The provider's own error code: OAuth `error` (RFC 6749 §5.2), Aliyun `Code`. */
  providerCode?: string;
  /** The provider's own explanation: OAuth `error_description`, Aliyun `Message`. */
  description?: string;
  /** Seconds the provider asked to wait before retrying (RFC 9110 §10.2.3 `Retry-After`). */
  retryAfter?: number;
  /** What to do about it, when the message alone does not say. */
  hint?: string;
  /** OAuth `error_uri` (RFC 6749 §5.2): a page about the error. */
  errorUri?: string;
  /** The step that failed: `config`, `callback`, `token`, `userinfo`, `discovery`, `jwks`, `send`... */
  stage?: string;
};

/** The fields a caller of `connectorError` may set; `provider` can be left to the boundary. */
export type ConnectorErrorDetails = Partial<Omit<ConnectorErrorData, 'message'>>;

/**
 * Builds a `ConnectorError` whose `data` is a `ConnectorErrorData`: readable in Logto's console.
 * `cause`, the error this one explains, is kept as a non-enumerable `cause` property, so neither
 * `JSON.stringify(error)` nor Logto's logging of `data` shows it; the connector boundary replaces
 * it with a redacted copy before the error leaves.
 */
export const connectorError = (
  code: ConnectorErrorCodes,
  message: string,
  details: ConnectorErrorDetails = {},
  cause?: unknown,
): ConnectorError => {
  const data: ConnectorErrorData = { message, provider: details.provider ?? '' };
  for (const [key, value] of Object.entries(details)) {
    if (value !== undefined && key !== 'provider') {
      (data as Record<string, unknown>)[key] = value;
    }
  }
  const error = new ConnectorError(code, data);
  if (cause !== undefined) {
    setErrorCause(error, cause);
  }
  return error;
};

/** Sets `cause` as a non-enumerable property (never serialised with the error). */
export const setErrorCause = (error: Error, cause: unknown): void => {
  Object.defineProperty(error, 'cause', {
    value: cause,
    enumerable: false,
    writable: true,
    configurable: true,
  });
};

/** The typed `data` of a `ConnectorError` (an empty provider when a foreign error carries none). */
export const connectorErrorData = (error: ConnectorError): ConnectorErrorData => {
  const data: unknown = error.data;
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const record = data as Partial<ConnectorErrorData>;
    return {
      ...(record as ConnectorErrorData),
      message: typeof record.message === 'string' ? record.message : error.message,
      provider: typeof record.provider === 'string' ? record.provider : '',
    };
  }
  return { message: typeof data === 'string' ? data : error.message, provider: '' };
};

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
export const oauthError = (
  fields: OAuthErrorFields,
  provider: string,
  details: ConnectorErrorDetails = {},
): ConnectorError => {
  const code = mapOAuthErrorCode(fields.error);
  const description = fields.error_description ? `: ${fields.error_description}` : '';
  return connectorError(code, `${provider} answered \`${fields.error}\`${description}`, {
    provider,
    providerCode: fields.error,
    ...(fields.error_description && { description: fields.error_description }),
    ...(fields.error_uri && { errorUri: fields.error_uri }),
    ...details,
  });
};
