import { excerptOf, providerErrorReader } from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { providerName } from './constants';

/**
 * Mailgun's answers (https://documentation.mailgun.com/docs/mailgun/api-reference/api-overview#errors):
 * `{ "message": "..." }` as JSON, or a bare `Forbidden` for a wrong key. 401 is a wrong key, 403
 * a domain or account not allowed to send, 404 an unknown domain: the operator's to fix. A 400 is
 * a refused message, reported with Mailgun's reason.
 */

const checkDomain = ({ status, said }: { status: number; said: string }) =>
  `answered HTTP ${status}${said}. Check domain and its region`;

const messageOf = (text: string): string => {
  try {
    const { message } = JSON.parse(text) as { message?: unknown };
    if (typeof message === 'string') {
      return message;
    }
  } catch {
    // Not JSON: Mailgun's 401 is plain text.
  }
  return excerptOf(text);
};

export const readMailgunError = providerErrorReader({
  provider: providerName,
  readFields: (text) => ({ description: messageOf(text) }),
  statuses: {
    400: { code: ConnectorErrorCodes.General, message: ({ said }) => `refused the message${said}` },
    401: {
      code: ConnectorErrorCodes.InvalidConfig,
      message: ({ said }) =>
        `refused the API key (HTTP 401)${said}. Check apiKey and the region of the domain`,
    },
    403: { code: ConnectorErrorCodes.InvalidConfig, message: checkDomain },
    404: { code: ConnectorErrorCodes.InvalidConfig, message: checkDomain },
    429: {
      code: ConnectorErrorCodes.RateLimitExceeded,
      message: ({ said }) => `is rate limiting sends${said}`,
    },
  },
  otherwise: {
    code: ConnectorErrorCodes.General,
    message: ({ status, said }) => `answered HTTP ${status}${said}`,
  },
});
