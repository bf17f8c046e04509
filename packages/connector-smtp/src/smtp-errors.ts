import { connectorError } from '@idplug/base';
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import type { SmtpConfig } from './config';
import { defaultMaxConnections } from './config';
import type { SmtpStage } from './smtp-session';

/**
 * What an SMTP failure means for the operator, as a connector-kit code (the official connector
 * reports every failure as `general` with nodemailer's message):
 * - login refused -> `invalid_config` (the message names the user, never the password);
 * - TLS mode or certificate mismatch -> `invalid_config` with the fix;
 * - 421/450/451/452 (RFC 5321 §4.2.2 transient: busy, throttled, over quota) -> `rate_limit_exceeded`;
 * - any other reply, e.g. a 5xx recipient rejection -> `general` naming the reply code;
 * - unreachable, refused, timed out -> `general` naming host, port, the timeout and the stage
 *   that failed or stalled (`data.stage`), with the fix that stage calls for.
 */

export type SmtpFailure = Error & {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  timeoutType?: string;
  /** The stage the failure happened in (set by the pool). */
  smtpStage?: SmtpStage;
  /** What kept a queued message waiting until it ran out of time (set by the pool). */
  poolCause?: SmtpFailure;
};

/** What each stage is called in a message, and what to check when it fails or stalls there. */
const stageHints = (config: SmtpConfig): Record<SmtpStage, { what: string; hint: string }> => ({
  queue: {
    what: 'waiting for a free pooled connection',
    hint: `all ${config.pool?.maxConnections ?? defaultMaxConnections} pooled connections stayed busy: raise "pool.maxConnections" or "sendTimeout" if the server allows more`,
  },
  connect: {
    what: 'connecting',
    hint: `check "host" and "port", DNS and firewalls (connection timeout ${config.connectionTimeout} ms)`,
  },
  greeting: {
    what: 'waiting for the SMTP greeting',
    hint: `the server accepted the connection but did not greet: an implicit-TLS port needs "secure": true, or the server is overloaded (greeting timeout ${config.greetingTimeout} ms)`,
  },
  tls: {
    what: 'the TLS handshake',
    hint: `check "secure" (465: true, 587: false) and "tls" (connection timeout ${config.connectionTimeout} ms)`,
  },
  auth: {
    what: 'logging in (AUTH)',
    hint: `the server did not answer the login: check "auth" and "authMethod" (socket timeout ${config.socketTimeout} ms)`,
  },
  envelope: {
    what: 'the envelope (MAIL FROM, RCPT TO)',
    hint: `the server did not answer the sender or recipient: it may be throttling or filtering (socket timeout ${config.socketTimeout} ms)`,
  },
  data: {
    what: 'sending the message (DATA)',
    hint: `the server did not confirm the message; it may or may not have been delivered (socket timeout ${config.socketTimeout} ms)`,
  },
});

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
  connectionErrorCodes.has(error.code ?? '') || connectionErrorCodes.has(error.originalCode ?? '');

const tlsHint = (error: SmtpFailure, config: SmtpConfig): ConnectorError | undefined => {
  const server = `${config.host}:${config.port}`;
  const message = error.message;
  const secure = config.secure ?? config.port === 465;
  if (plainTextAnswerPattern.test(message) && secure) {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `TLS mismatch: "secure" starts TLS at once (implicit TLS, usually port 465), but ${server} answered in plain text (OpenSSL: ${message.trim()}). Port ${config.port} most likely uses STARTTLS: set "secure": false, or use the server's implicit-TLS port (465).`,
      { provider: `${config.host}:${config.port}`, stage: 'tls' as const },
    );
  }
  if (certificatePattern.test(message) || certificatePattern.test(error.originalCode ?? '')) {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `The TLS certificate of ${server} was not accepted: ${message.trim()}. Trust its issuer with "tls": {"ca": "<PEM>"}, or set "servername" to the name on the certificate when "host" is an IP address.`,
      { provider: `${config.host}:${config.port}`, stage: 'tls' as const },
    );
  }
  if (error.code === 'ETLS' || error.code === 'EREQUIRETLS') {
    return connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `TLS with ${server} failed: ${message.trim()}. With "requireTLS" the server must offer STARTTLS; check "secure" (465: true, 587: false) and "tls".`,
      { provider: `${config.host}:${config.port}`, stage: 'tls' as const },
    );
  }
  return undefined;
};

export const mapSmtpError = (thrown: unknown, config: SmtpConfig): ConnectorError => {
  if (thrown instanceof ConnectorError) {
    return thrown;
  }
  // An access token request that failed (client credentials): base's error says why.
  const tokenFailure = (thrown as { connectorError?: unknown } | null)?.connectorError;
  if (tokenFailure instanceof ConnectorError) {
    return tokenFailure;
  }
  const error: SmtpFailure =
    thrown instanceof Error ? (thrown as SmtpFailure) : Object.assign(new Error(String(thrown)));
  // A queued message that ran out of time: report what kept it waiting, if anything did.
  const cause = error.smtpStage === 'queue' && error.poolCause ? error.poolCause : error;
  const server = `${config.host}:${config.port}`;
  const stage: SmtpStage | 'send' = cause.smtpStage ?? 'send';
  const details = {
    provider: server,
    stage,
    ...(cause.responseCode && { status: cause.responseCode }),
    ...(cause.command && cause.command !== 'CONN' && { command: cause.command }),
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

  if (isConnectionFailure(cause) || stage !== 'send') {
    const { what, hint } = stageHints(config)[stage === 'send' ? 'connect' : stage];
    const reason =
      cause.smtpStage === 'queue'
        ? 'no connection became free in time'
        : cause.timeoutType === 'GREETING_TIMEOUT'
          ? 'connected, but no SMTP greeting arrived'
          : cause.timeoutType || cause.code === 'ETIMEDOUT'
            ? 'timed out'
            : (cause.originalCode ?? cause.code ?? 'connection failed');
    return connectorError(
      ConnectorErrorCodes.General,
      `Could not deliver through the SMTP server ${server}: ${reason} while ${what} (${cause.message.trim()}). ${hint[0]?.toUpperCase()}${hint.slice(1)}. (${timeoutsOf(config)})`,
      { ...details, description: `${what}: ${reason}` },
    );
  }

  return connectorError(
    ConnectorErrorCodes.General,
    `Sending through the SMTP server ${server} failed: ${cause.message}`,
    details,
  );
};
