import { createHash } from 'node:crypto';
import { connectThroughProxy, networkOf } from '@idplug/base';
import nodemailer, {
  type SendMailOptions,
  type SentMessageInfo,
  type Transporter,
} from 'nodemailer';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import {
  defaultMaxConnections,
  defaultMaxMessages,
  defaultPoolIdleTimeoutMs,
  type SmtpConfig,
} from './config';

/**
 * One pooled nodemailer transport per distinct transport config, per process. The official
 * connector opens a new connection for every message (a burst of 400 codes = 400 connections,
 * which providers throttle or refuse); here at most `pool.maxConnections` (5) connections carry
 * every message for the same config, and stay open between messages until idle.
 *
 * Per-process state is fine for a pool (CONVENTIONS.md): nothing about a sign-in flow lives here.
 */

type PoolEntry = {
  key: string;
  /** Same server and account: a new config for it replaces (and closes) the old pool. */
  slot: string;
  transporter: Transporter<SentMessageInfo, SMTPPoolOptions>;
  inFlight: number;
  lastUsed: number;
  retired: boolean;
  /** The last send that failed before the server answered anything, and when. */
  lastConnectionFailure?: { error: Error; at: number };
};

const entries = new Map<string, PoolEntry>();

/** A pool unused this long is closed even if its config never changes (a test send, say). */
const unusedPoolLifetimeMs = 10 * 60 * 1000;
/** More distinct configs than this in one process (multi-tenant Logto) closes the least recent. */
const maxPools = 64;

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

/**
 * Through the connector's proxy (`network.proxy`, else `HTTPS_PROXY`, unless `NO_PROXY` lists the
 * host) when one applies: base opens an HTTP CONNECT tunnel and nodemailer speaks SMTP (and TLS)
 * over it; otherwise nodemailer connects directly.
 */
const withProxyTunnel = (options: SMTPPoolOptions, config: SmtpConfig): SMTPPoolOptions => ({
  ...options,
  getSocket: (_options, callback) => {
    connectThroughProxy(
      { host: config.host, port: config.port },
      networkOf(config),
      config.connectionTimeout,
    ).then(
      (connection) => callback(null, connection ? { connection } : false),
      (error: Error) => callback(error),
    );
  },
});

/** A stable hash of the transport-relevant config (its network group too): the pool's identity. */
export const transportKeyOf = (config: SmtpConfig): string => {
  const network = networkOf(config);
  return sha256(canonicalJson(network ? [poolOptionsOf(config), network] : poolOptionsOf(config)));
};

const slotOf = (config: SmtpConfig): string =>
  sha256(
    canonicalJson([config.host, config.port, (config.auth as { user?: string } | undefined)?.user]),
  );

const closeWhenDrained = (entry: PoolEntry) => {
  if (entry.inFlight === 0) {
    entry.transporter.close();
  }
};

const retire = (entry: PoolEntry) => {
  if (entry.retired) {
    return;
  }
  entry.retired = true;
  entries.delete(entry.key);
  closeWhenDrained(entry);
};

const sweep = (now: number) => {
  for (const entry of entries.values()) {
    if (entry.inFlight === 0 && now - entry.lastUsed > unusedPoolLifetimeMs) {
      retire(entry);
    }
  }
  if (entries.size > maxPools) {
    const idle = [...entries.values()]
      .filter((entry) => entry.inFlight === 0)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of idle.slice(0, entries.size - maxPools)) {
      retire(entry);
    }
  }
};

const acquire = (config: SmtpConfig): PoolEntry => {
  const key = transportKeyOf(config);
  const existing = entries.get(key);
  if (existing) {
    return existing;
  }
  const entry: PoolEntry = {
    key,
    slot: slotOf(config),
    transporter: nodemailer.createTransport(withProxyTunnel(poolOptionsOf(config), config)),
    inFlight: 0,
    lastUsed: Date.now(),
    retired: false,
  };
  // The config for this server and account changed (a new password, timeouts, TLS settings):
  // the old pool finishes what it is sending, then closes.
  for (const other of entries.values()) {
    if (other.slot === entry.slot) {
      retire(other);
    }
  }
  entries.set(key, entry);
  return entry;
};

/**
 * Sends one message through the pool for `config`. `deadlineMs` bounds the whole send, waiting
 * for a free connection included: behind a dead server, queued messages must not wait for every
 * connection attempt before them.
 */
export const sendThroughPool = async (
  config: SmtpConfig,
  mail: SendMailOptions,
  deadlineMs: number,
): Promise<SentMessageInfo> => {
  const now = Date.now();
  sweep(now);
  const entry = acquire(config);
  entry.inFlight += 1;
  entry.lastUsed = now;
  try {
    return await entry.transporter.sendMail({ ...mail, signal: AbortSignal.timeout(deadlineMs) });
  } catch (error: unknown) {
    const failure = error as Error & { code?: string; responseCode?: number; poolCause?: Error };
    const recent = entry.lastConnectionFailure;
    if (failure.code === 'EABORT' && recent && Date.now() - recent.at <= deadlineMs) {
      failure.poolCause = recent.error;
    } else if (failure.code !== 'EABORT' && !failure.responseCode) {
      entry.lastConnectionFailure = { error: failure, at: Date.now() };
    }
    throw failure;
  } finally {
    entry.inFlight -= 1;
    entry.lastUsed = Date.now();
    if (entry.retired) {
      closeWhenDrained(entry);
    }
  }
};

/** Open pools, for tests and diagnostics. */
export const openPoolCount = (): number => entries.size;

/** Closes every pool (tests; a process that shuts down). */
export const closeAllPools = (): void => {
  for (const entry of [...entries.values()]) {
    retire(entry);
  }
};
