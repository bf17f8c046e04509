import { connectorError, excerptOf, parseRetryAfter } from '@idplug/base';
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { providerName } from './constants';

/**
 * SendGrid's error answers (https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/responses):
 * `{ "errors": [{ "message", "field", "help" }] }`. 401 is a wrong or revoked key, 403 a key
 * without "Mail Send" or a sender that is not a verified Sender Identity: the operator's to fix.
 * 429 carries `X-RateLimit-Reset`, the unix time the limit resets.
 */

type SendGridErrorItem = { message: string; field?: string | null; help?: unknown };

const errorItemsOf = (text: string): SendGridErrorItem[] => {
  try {
    const { errors } = JSON.parse(text) as { errors?: unknown };
    return Array.isArray(errors)
      ? errors.filter(
          (item): item is SendGridErrorItem =>
            typeof item === 'object' && item !== null && typeof item.message === 'string',
        )
      : [];
  } catch {
    return [];
  }
};

const describeItems = (items: SendGridErrorItem[]) =>
  items.map(({ message, field }) => (field ? `${field}: ${message}` : message)).join('; ');

/** Seconds until `X-RateLimit-Reset` (unix seconds), else `Retry-After`. */
const retryAfterOf = (headers: Headers): number | undefined => {
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) {
    return Math.max(0, Math.ceil(reset - Date.now() / 1000));
  }
  return parseRetryAfter(headers.get('retry-after'));
};

export const readSendGridError = (
  body: unknown,
  { status, headers }: { status: number; headers: Headers },
): ConnectorError | undefined => {
  if (status >= 200 && status < 300) {
    return undefined;
  }
  const text = typeof body === 'string' ? body : '';
  const items = errorItemsOf(text);
  const description = items.length > 0 ? describeItems(items) : excerptOf(text);
  const said = description ? `: ${description}` : '';
  const details = {
    provider: providerName,
    status,
    ...(description && { description }),
  };
  if (status === 401 || status === 403) {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `${providerName} refused the request (HTTP ${status})${said}. Check the API key's "Mail Send" permission and that fromEmail is a verified Sender Identity`,
      details,
    );
  }
  if (status === 429) {
    const retryAfter = retryAfterOf(headers);
    return connectorError(
      ConnectorErrorCodes.RateLimitExceeded,
      `${providerName} is rate limiting sends${retryAfter === undefined ? '' : `; retry after ${retryAfter} s`}`,
      { ...details, ...(retryAfter !== undefined && { retryAfter }) },
    );
  }
  return connectorError(
    ConnectorErrorCodes.General,
    `${providerName} answered HTTP ${status}${said}`,
    details,
  );
};
