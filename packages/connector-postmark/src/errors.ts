import { connectorError, excerptOf, parseRetryAfter, usageLimitExceededCode } from '@idplug/base';
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { providerName } from './constants';

/**
 * Postmark answers every refusal with `{ "ErrorCode": n, "Message": "..." }` (HTTP 401 or 422,
 * 429 when throttled); https://postmarkapp.com/developer/api/overview#error-codes. The table maps
 * the codes a send can meet; any other is `general` with Postmark's message.
 */
const errorCodeTable: Readonly<Record<number, ConnectorErrorCodes | (() => ConnectorErrorCodes)>> =
  {
    10: ConnectorErrorCodes.InvalidConfig, // Bad or missing API token
    300: ConnectorErrorCodes.InvalidRequestParameters, // Invalid email request
    400: ConnectorErrorCodes.InvalidConfig, // Sender signature not found
    401: ConnectorErrorCodes.InvalidConfig, // Sender signature not confirmed
    405: usageLimitExceededCode, // Not allowed to send: the account ran out of credits
    406: ConnectorErrorCodes.General, // Inactive recipient: bounced or marked as spam; the reason says which
    412: ConnectorErrorCodes.InvalidConfig, // Account pending approval: only its own domain may receive
    413: usageLimitExceededCode, // Account may not send
    429: ConnectorErrorCodes.RateLimitExceeded, // Rate limit exceeded
    1101: ConnectorErrorCodes.InvalidConfig, // Template not found (templateAlias)
  };

const postmarkFieldsOf = (text: string): { code: number; message: string } | undefined => {
  try {
    const { ErrorCode, Message } = JSON.parse(text) as Record<string, unknown>;
    return typeof ErrorCode === 'number' && ErrorCode !== 0
      ? { code: ErrorCode, message: typeof Message === 'string' ? Message : '' }
      : undefined;
  } catch {
    return undefined;
  }
};

export const readPostmarkError = (
  body: unknown,
  { status, headers }: { status: number; headers: Headers },
): ConnectorError | undefined => {
  const text = typeof body === 'string' ? body : '';
  const fields = postmarkFieldsOf(text);
  if (!fields && status >= 200 && status < 300) {
    return undefined;
  }
  const retryAfter = parseRetryAfter(headers.get('retry-after'));
  if (!fields) {
    if (status === 429) {
      return connectorError(
        ConnectorErrorCodes.RateLimitExceeded,
        `${providerName} is rate limiting sends`,
        { provider: providerName, status, ...(retryAfter !== undefined && { retryAfter }) },
      );
    }
    if (status === 401) {
      return connectorError(
        ConnectorErrorCodes.InvalidConfig,
        `${providerName} refused the server token (HTTP 401)`,
        { provider: providerName, status },
      );
    }
    return connectorError(
      ConnectorErrorCodes.General,
      `${providerName} answered HTTP ${status}${text ? `: ${excerptOf(text)}` : ''}`,
      { provider: providerName, status },
    );
  }
  const mapped = errorCodeTable[fields.code];
  const code =
    (typeof mapped === 'function' ? mapped() : mapped) ??
    (status === 429 ? ConnectorErrorCodes.RateLimitExceeded : ConnectorErrorCodes.General);
  const hint =
    fields.code === 10
      ? ' Check serverToken (a server token, not the account token)'
      : fields.code === 400 || fields.code === 401
        ? ' Check fromEmail against the Sender Signatures of the server'
        : '';
  return connectorError(
    code,
    `${providerName} answered ErrorCode ${fields.code}: ${fields.message}${hint ? `.${hint}` : ''}`,
    {
      provider: providerName,
      status,
      providerCode: String(fields.code),
      description: fields.message,
      ...(code === ConnectorErrorCodes.RateLimitExceeded &&
        retryAfter !== undefined && { retryAfter }),
    },
  );
};
