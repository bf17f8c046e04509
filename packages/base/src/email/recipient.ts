import { ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError } from '../errors';

/**
 * The recipient of a verification message is ONE address. A list ("a@x, b@y") would send the code
 * to a stranger; CR/LF would inject SMTP headers. Both are refused before anything is sent.
 */

// A pragmatic addr-spec (RFC 5322 §3.4.1) without comments, display names or quoted local parts.
const emailPattern =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export const assertSingleEmailRecipient = (to: unknown): string => {
  if (typeof to !== 'string' || to.trim() === '') {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      'The recipient address is missing',
    );
  }
  if (/[\r\n]/.test(to)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      'The recipient address contains a line break; nothing was sent',
    );
  }
  const address = to.trim();
  if (address.length > 254 || !emailPattern.test(address)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      `The recipient must be one email address (got ${JSON.stringify(address.slice(0, 80))}); nothing was sent`,
    );
  }
  return address;
};

/** Header values rendered from templates (subject, reply-to, from) must stay on one line. */
export const singleLine = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();
