import { connectorError } from '@idplug/base';
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import type { SmtpConfig } from './config';

/**
 * What an SMTP failure means for the operator, as a connector-kit code (the official connector
 * reports every failure as `general` with nodemailer's message):
 * - login refused -> `invalid_config` (the message names the user, never the password);
 * - TLS mode or certificate mismatch -> `invalid_config` with the fix;
 * - 421/450/451/452 (RFC 5321 §4.2.2 transient: busy, throttled, over quota) -> `rate_limit_exceeded`;
 * - any other reply, e.g. a 5xx recipient rejection -> `general` naming the reply code;
 * - unreachable, refused, timed out -> `general` naming host, port and the timeout.
 */

export type SmtpFailure = Error & {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  timeoutType?: string;
  /** The connection failure seen by the pool before a queued message ran out of time. */
  poolCause?: SmtpFailure;
};

const throttlingReplyCodes = new Set([421, 450, 451, 452]);

const connectionErrorCodes = new Set([
  'ECONNECTION',
  'ESOCKET',
  'ETIMEDOUT',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

const certificatePattern =
  /certificate|self[- ]signed|altnames|unable to verify|UNABLE_TO_|CERT_|DEPTH_ZERO/i;

/** OpenSSL's answer when a TLS client reads a plain-text SMTP greeting. */
const plainTextAnswerPattern = /wrong version number|packet length too long|unknown protocol/i;

/** The SMTP reply as one line: `550 5.1.1 No such user`. */
const replyOf = (error: SmtpFailure): string =>
  (error.response ?? `${error.responseCode ?? ''}`).replace(/\s+/g, ' ').trim().slice(0, 300);

const timeoutsOf = (config: SmtpConfig) =>
  `connection timeout ${config.connectionTimeout} ms, greeting timeout ${config.greetingTimeout} ms, socket timeout ${config.socketTimeout} ms`;

const isConnectionFailure = (error: SmtpFailure): boolean =>
  connectionErrorCodes.has(error.code ?? '') ||
  connectionErrorCodes.has(error.originalCode ?? '') ||
  error.code === 'EABORT';

const tlsHint = (error: SmtpFailure, config: SmtpConfig): ConnectorError | undefined => {
  const server = `${config.host}:${config.port}`;
  const message = error.message;
  const secure = config.secure ?? config.port === 465;
  if (plainTextAnswerPattern.test(message) && secure) {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `TLS mismatch: "secure" starts TLS at once (implicit TLS, usually port 465), but ${server} answered in plain text (OpenSSL: ${message.trim()}). Port ${config.port} most likely uses STARTTLS: set "secure": false, or use the server's implicit-TLS port (465).`,
      { provider: `${config.host}:${config.port}`, stage: 'connect' },
    );
  }
  if (
    !secure &&
    config.port === 465 &&
    (error.code === 'ETIMEDOUT' || error.code === 'ECONNECTION' || error.code === 'EABORT')
  ) {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `TLS mismatch: port 465 expects implicit TLS, but "secure" is false, so the connector waited for a plain-text greeting that never came from ${server}. Set "secure": true (or use port 587 with STARTTLS).`,
      { provider: `${config.host}:${config.port}`, stage: 'connect' },
    );
  }
  if (certificatePattern.test(message) || certificatePattern.test(error.originalCode ?? '')) {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `The TLS certificate of ${server} was not accepted: ${message.trim()}. Trust its issuer with "tls": {"ca": "<PEM>"}, or set "servername" to the name on the certificate when "host" is an IP address.`,
      { provider: `${config.host}:${config.port}`, stage: 'connect' },
    );
  }
  if (error.code === 'ETLS' || error.code === 'EREQUIRETLS') {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `TLS with ${server} failed: ${message.trim()}. With "requireTLS" the server must offer STARTTLS; check "secure" (465: true, 587: false) and "tls".`,
      { provider: `${config.host}:${config.port}`, stage: 'connect' },
    );
  }
  return undefined;
};

export const mapSmtpError = (thrown: unknown, config: SmtpConfig): ConnectorError => {
  if (thrown instanceof ConnectorError) {
    return thrown;
  }
  const error: SmtpFailure =
    thrown instanceof Error ? (thrown as SmtpFailure) : Object.assign(new Error(String(thrown)));
  // A queued message that ran out of time behind a failing server: report the server's failure.
  const cause = error.code === 'EABORT' && error.poolCause ? error.poolCause : error;
  const server = `${config.host}:${config.port}`;
  const details = {
    provider: server,
    stage: 'send',
    ...(cause.responseCode && { status: cause.responseCode }),
    ...(cause.command && { stage: `send: ${cause.command}` }),
  };

  const tls = tlsHint(cause, config);
  if (tls) {
    return tls;
  }

  if (
    cause.code === 'EAUTH' ||
    cause.code === 'ENOAUTH' ||
    cause.code === 'EOAUTH2' ||
    cause.responseCode === 535 ||
    cause.responseCode === 534
  ) {
    const user = (config.auth as { user?: string } | undefined)?.user;
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `${server} refused the SMTP login${user ? ` for user ${JSON.stringify(user)}` : ''}: ${replyOf(cause) || cause.message}. Check "auth" (user, password or OAuth2 credentials).`,
      details,
    );
  }
  if (cause.responseCode === 530) {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `${server} requires authentication (${replyOf(cause)}). Set "auth": {"user": ..., "pass": ...}.`,
      details,
    );
  }

  if (cause.responseCode && throttlingReplyCodes.has(cause.responseCode)) {
    return connectorError(
      ConnectorErrorCodes.RateLimitExceeded,
      `${server} is throttling or temporarily refusing mail: SMTP ${replyOf(cause)}. Retry later.`,
      details,
    );
  }

  if (cause.responseCode) {
    const what =
      cause.code === 'EENVELOPE'
        ? cause.command === 'MAIL FROM'
          ? 'the sender'
          : 'the recipient'
        : 'the message';
    return connectorError(
      ConnectorErrorCodes.General,
      `${server} rejected ${what} with SMTP reply ${cause.responseCode}: ${replyOf(cause)}`,
      details,
    );
  }

  if (isConnectionFailure(cause)) {
    const reason =
      cause.code === 'EABORT'
        ? 'no connection became free in time'
        : cause.timeoutType === 'GREETING_TIMEOUT'
          ? 'connected, but no SMTP greeting arrived'
          : cause.timeoutType
            ? 'timed out'
            : (cause.originalCode ?? cause.code ?? 'connection failed');
    return connectorError(
      ConnectorErrorCodes.General,
      `Could not deliver through the SMTP server ${server}: ${reason} (${cause.message.trim()}; ${timeoutsOf(config)})`,
      { ...details, description: reason },
    );
  }

  return connectorError(
    ConnectorErrorCodes.General,
    `Sending through the SMTP server ${server} failed: ${cause.message}`,
    details,
  );
};
