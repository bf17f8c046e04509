import { connectorError, excerptOf } from '@idplug/base';
import {
  type ConnectorError,
  ConnectorErrorCodes,
  type SendMessageData,
} from '@logto/connector-kit';
import { providerName } from './constants';

/**
 * The JSON body, key for key what `@logto/connector-http-sms` posts: `to`, `type` and `payload`
 * as Logto passed them (the payload carries `code`, and `locale`/`uiLocales` where Logto sets
 * them), then `ip` when Logto passes a truthy one. The number is forwarded as given: a receiver
 * written for the official connector keeps working.
 */
export const httpSmsBody = ({ to, type, payload, ip }: SendMessageData) => ({
  to,
  type,
  payload,
  ...(ip ? { ip } : {}),
});

/**
 * A receiver that refuses the `authorization` header (401/403) has a configuration problem, not
 * an outage. Other statuses take base's mapping: 429 (with Retry-After) is `rate_limit_exceeded`,
 * anything else non-2xx is `general` with the status and an excerpt of the answer.
 */
export const readReceiverError = (
  body: unknown,
  { status }: { status: number },
): ConnectorError | undefined => {
  if (status !== 401 && status !== 403) {
    return undefined;
  }
  const excerpt = typeof body === 'string' ? excerptOf(body) : '';
  return connectorError(
    ConnectorErrorCodes.InvalidConfig,
    `The ${providerName} refused the request (HTTP ${status}${excerpt ? `: ${excerpt}` : ''}); check \`authorization\` and \`signingSecret\``,
    { provider: providerName, status },
  );
};
