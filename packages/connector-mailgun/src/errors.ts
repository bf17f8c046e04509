import { connectorError, excerptOf, parseRetryAfter } from '@idplug/base';
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { providerName } from './constants';

/**
 * Mailgun's answers (https://documentation.mailgun.com/docs/mailgun/api-reference/api-overview#errors):
 * `{ "message": "..." }` as JSON, or a bare `Forbidden` for a wrong key. 401 is a wrong key, 403
 * a domain or account not allowed to send, 404 an unknown domain: the operator's to fix. A 400 is
 * a refused message, reported with Mailgun's reason.
 */

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

export const readMailgunError = (
  body: unknown,
  { status, headers }: { status: number; headers: Headers },
): ConnectorError | undefined => {
  if (status >= 200 && status < 300) {
    return undefined;
  }
  const description = messageOf(typeof body === 'string' ? body : '');
  const said = description ? `: ${description}` : '';
  const details = { provider: providerName, status, ...(description && { description }) };
  if (status === 401) {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `${providerName} refused the API key (HTTP 401)${said}. Check apiKey and the region of the domain`,
      details,
    );
  }
  if (status === 403 || status === 404) {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `${providerName} answered HTTP ${status}${said}. Check domain and its region`,
      details,
    );
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(headers.get('retry-after'));
    return connectorError(
      ConnectorErrorCodes.RateLimitExceeded,
      `${providerName} is rate limiting sends${said}`,
      { ...details, ...(retryAfter !== undefined && { retryAfter }) },
    );
  }
  return connectorError(
    ConnectorErrorCodes.General,
    `${providerName} ${status === 400 ? 'refused the message' : `answered HTTP ${status}`}${said}`,
    details,
  );
};
