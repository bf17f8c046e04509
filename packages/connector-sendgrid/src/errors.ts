import { excerptOf, parseRetryAfter, providerErrorReader } from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
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

const refusedKey = ({ status, said }: { status: number; said: string }) =>
  `refused the request (HTTP ${status})${said}. Check the API key's "Mail Send" permission and that fromEmail is a verified Sender Identity`;

/** Seconds until `X-RateLimit-Reset` (unix seconds), else `Retry-After`. */
const retryAfterOf = (headers: Headers): number | undefined => {
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) {
    return Math.max(0, Math.ceil(reset - Date.now() / 1000));
  }
  return parseRetryAfter(headers.get('retry-after'));
};

export const readSendGridError = providerErrorReader({
  provider: providerName,
  readFields: (text) => {
    const items = errorItemsOf(text);
    return { description: items.length > 0 ? describeItems(items) : excerptOf(text) };
  },
  statuses: {
    401: { code: ConnectorErrorCodes.InvalidConfig, message: refusedKey },
    403: { code: ConnectorErrorCodes.InvalidConfig, message: refusedKey },
    429: {
      code: ConnectorErrorCodes.RateLimitExceeded,
      message: ({ retryAfter }) =>
        `is rate limiting sends${retryAfter === undefined ? '' : `; retry after ${retryAfter} s`}`,
    },
  },
  otherwise: {
    code: ConnectorErrorCodes.General,
    message: ({ status, said }) => `answered HTTP ${status}${said}`,
  },
  retryAfterOf,
});
