import { createHash } from 'node:crypto';
import { networkOf } from '@idplug/base';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import {
  defaultMaxConnections,
  defaultMaxMessages,
  defaultPoolIdleTimeoutMs,
  type SmtpConfig,
} from './config';

/**
 * The transport settings of a config (everything that shapes connections, nothing per message)
 * and the pool identity derived from them.
 */

/** JSON with sorted keys, so equal configs hash equally whatever their key order. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `auth` as nodemailer wants it; none at all for a relay that authorizes by IP address. */
const authOptionsOf = (auth: SmtpConfig['auth']): SMTPPoolOptions['auth'] => {
  if (!auth) {
    return undefined;
  }
  const type = (auth.type ?? '').toString().toUpperCase();
  if (
    type === 'OAUTH2' ||
    'tenantId' in auth ||
    'privateKey' in auth ||
    'refreshToken' in auth ||
    'accessToken' in auth
  ) {
    return { ...auth, type: 'OAuth2' } as SMTPPoolOptions['auth'];
  }
  const { user, pass } = auth as { user?: string; pass?: string };
  if (!user && !pass) {
    return undefined;
  }
  return { type: 'login', user: user ?? '', pass: pass ?? '' } as SMTPPoolOptions['auth'];
};

/** The nodemailer pool options of a config: everything that shapes connections, nothing per message. */
export const poolOptionsOf = (config: SmtpConfig): SMTPPoolOptions => {
  const pool = config.pool;
  const options: SMTPPoolOptions = {
    pool: true,
    host: config.host,
    port: config.port,
    ...(config.secure !== undefined && { secure: config.secure }),
    auth: authOptionsOf(config.auth),
    authMethod: config.authMethod,
    tls: config.tls as SMTPPoolOptions['tls'],
    servername: config.servername,
    ignoreTLS: config.ignoreTLS,
    requireTLS: config.requireTLS,
    name: config.name,
    localAddress: config.localAddress,
    connectionTimeout: config.connectionTimeout,
    greetingTimeout: config.greetingTimeout,
    socketTimeout: config.socketTimeout,
    dnsTimeout: config.dnsTimeout,
    logger: config.logger ?? false,
    debug: config.debug ?? false,
    // Messages here are strings; never let a template make nodemailer read files or URLs.
    disableFileAccess: config.disableFileAccess ?? true,
    disableUrlAccess: config.disableUrlAccess ?? true,
    maxConnections: pool?.maxConnections ?? defaultMaxConnections,
    maxMessages: pool?.maxMessages ?? defaultMaxMessages,
    rateLimit: pool?.rateLimit,
    rateDelta: pool?.rateDelta,
    dkim: config.dkim,
  };
  // Typed in nodemailer's pool but missing from its option types.
  (options as { idleTimeout?: number }).idleTimeout = pool?.idleTimeout ?? defaultPoolIdleTimeoutMs;
  return options;
};

/** A stable hash of the transport-relevant config: the pool's identity. */
export const transportKeyOf = (config: SmtpConfig): string => {
  // The network group (proxy, CA) shapes connections too: a changed proxy is a new pool.
  const network = networkOf(config);
  return sha256(canonicalJson(network ? [poolOptionsOf(config), network] : poolOptionsOf(config)));
};

export const slotOf = (config: SmtpConfig): string =>
  sha256(
    canonicalJson([config.host, config.port, (config.auth as { user?: string } | undefined)?.user]),
  );
