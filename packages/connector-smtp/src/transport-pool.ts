import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { connectThroughProxy, type NetworkOptions, networkOf } from '@idplug/base';
import type { SendMailOptions } from 'nodemailer';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import {
  type ClientCredentialsAuth,
  createClientCredentialsTokenSource,
} from './client-credentials-token';
import { defaultConnectionTimeoutMs, type SmtpConfig } from './config';
import { compileMessage } from './mail-options';
import { poolOptionsOf, slotOf, transportKeyOf } from './pool-options';
import {
  isConnectionRefusal,
  onceBodyWritten,
  openSession,
  type SmtpSession,
  type StagedError,
  stageOf,
  supportsPipelining,
  withStage,
} from './smtp-session';

export { poolOptionsOf, transportKeyOf } from './pool-options';

/**
 * One pool of SMTP connections per distinct transport config, per process. The official
 * connector opens a new connection for every message (a burst of 400 codes = 400 connections,
 * which providers throttle or refuse); here at most `pool.maxConnections` (5) connections carry
 * every message for the same config, and stay open between messages until idle.
 *
 * Unlike nodemailer's pool, a message waits in the pool's queue until a connection is open and
 * logged in, and only then is handed to it: a connection the server refuses (421 at the greeting,
 * a server capped at N clients) has no message to lose. The pool then lowers its connection limit
 * for that server and raises it again, one at a time, after a quiet period.
 *
 * Per-process state is fine for a pool (CONVENTIONS.md): nothing about a sign-in flow lives here.
 */

export type SentInfo = { messageId: string; response: string };

type QueuedMessage = {
  mail: SendMailOptions;
  settled: boolean;
  resolve: (info: SentInfo) => void;
  reject: (error: StagedError) => void;
  deadline: NodeJS.Timeout;
  queuedAt: number;
  session?: SmtpSession;
  /** The message as it streams to the server (tells `envelope` from `data`). */
  body?: Readable;
};

type Pool = {
  key: string;
  /** Same server and account: a new config for it replaces (and closes) the old pool. */
  slot: string;
  options: SMTPPoolOptions;
  auth: SMTPConnection.AuthenticationType | undefined;
  /** The tunnel through the connector's proxy, when one applies to this server. */
  openSocket: () => Promise<Socket | undefined>;
  queue: QueuedMessage[];
  sessions: Set<SmtpSession>;
  /** Connections the server currently lets us open: `maxConnections`, lowered by refusals. */
  limit: number;
  lastRefusalAt: number;
  /** Consecutive refusals while no connection was open: the retry backs off on them. */
  refusalsInARow: number;
  retryTimer?: NodeJS.Timeout;
  /** The last failure to open a connection, reported for messages that ran out of time waiting. */
  lastOpenFailure?: { error: StagedError; at: number };
  /** Messages handed to a connection in the current rate window (`pool.rateLimit`). */
  rateWindow: { start: number; count: number; timer?: NodeJS.Timeout };
  inFlight: number;
  lastUsed: number;
  retired: boolean;
};

const pools = new Map<string, Pool>();
/** The messages each connection is carrying (one, or two while pipelining). */
const carried = new WeakMap<SmtpSession, Set<QueuedMessage>>();
const carriedBy = (session: SmtpSession): Set<QueuedMessage> => {
  let messages = carried.get(session);
  if (!messages) {
    messages = new Set();
    carried.set(session, messages);
  }
  return messages;
};

/** A pool unused this long is closed even if its config never changes (a test send, say). */
const unusedPoolLifetimeMs = 10 * 60 * 1000;
/** More distinct configs than this in one process (multi-tenant Logto) closes the least recent. */
const maxPools = 64;
/** After a refusal, this long without another before the limit goes up by one connection. */
export const refusalQuietPeriodMs = 30_000;
/** Retry delays while a server refuses every connection: 100 ms doubling up to 2 s. */
const refusalRetryBaseMs = 100;
const refusalRetryMaxMs = 2000;

/** What `SMTPConnection.login` wants: one XOAuth2 per pool, so its token is shared by the pool's connections. */
const loginOf = (
  options: SMTPPoolOptions,
  network: NetworkOptions | undefined,
): SMTPConnection.AuthenticationType | undefined => {
  const auth = options.auth as Record<string, unknown> | undefined;
  if (!auth) {
    return undefined;
  }
  if (auth.type === 'OAuth2' && typeof auth.tenantId === 'string') {
    return {
      type: 'OAUTH2',
      user: auth.user as string,
      // nodemailer only calls getToken and buildXOAuth2Token on it.
      oauth2: createClientCredentialsTokenSource(
        auth as unknown as ClientCredentialsAuth,
        options.connectionTimeout ?? defaultConnectionTimeoutMs,
        network,
      ) as unknown as InstanceType<typeof XOAuth2>,
      method: 'XOAUTH2',
    };
  }
  if (auth.type === 'OAuth2') {
    return {
      type: 'OAUTH2',
      user: auth.user as string,
      oauth2: new XOAuth2(auth as ConstructorParameters<typeof XOAuth2>[0], false),
      method: 'XOAUTH2',
    };
  }
  return {
    type: 'LOGIN',
    user: auth.user as string,
    credentials: { user: auth.user as string, pass: auth.pass as string },
    method: options.authMethod?.trim().toUpperCase() || false,
  };
};

const connectionOptionsOf = (options: SMTPPoolOptions): SMTPConnection.Options => {
  const {
    pool: _pool,
    auth: _auth,
    authMethod: _authMethod,
    maxConnections: _maxConnections,
    maxMessages: _maxMessages,
    rateLimit: _rateLimit,
    rateDelta: _rateDelta,
    dkim: _dkim,
    ...connection
  } = options as SMTPPoolOptions & { idleTimeout?: number };
  return connection as SMTPConnection.Options;
};

const settle = (message: QueuedMessage) => {
  message.settled = true;
  clearTimeout(message.deadline);
};

const failMessage = (message: QueuedMessage, error: StagedError) => {
  if (message.settled) {
    return;
  }
  settle(message);
  message.reject(error);
};

const removeSession = (pool: Pool, session: SmtpSession) => {
  session.state = 'closed';
  clearTimeout(session.idleTimer);
  pool.sessions.delete(session);
};

const countSessions = (pool: Pool, state: SmtpSession['state']) =>
  [...pool.sessions].filter((session) => session.state === state).length;

/** Raises a lowered limit by one connection per quiet period since the last refusal. */
const recoverLimit = (pool: Pool, now: number) => {
  const maxConnections = pool.options.maxConnections ?? 1;
  if (pool.limit < maxConnections && now - pool.lastRefusalAt >= refusalQuietPeriodMs) {
    pool.limit += 1;
    pool.lastRefusalAt = now;
  }
};

/** Whether `pool.rateLimit` lets one more message go now; if not, a pump is scheduled. */
const rateAllows = (pool: Pool, now: number): boolean => {
  const limit = pool.options.rateLimit;
  if (!limit) {
    return true;
  }
  const delta = pool.options.rateDelta ?? 1000;
  const window = pool.rateWindow;
  if (now - window.start >= delta) {
    window.start = now;
    window.count = 0;
  }
  if (window.count < limit) {
    window.count += 1;
    return true;
  }
  if (!window.timer) {
    window.timer = setTimeout(
      () => {
        window.timer = undefined;
        pump(pool);
      },
      window.start + delta - now,
    );
  }
  return false;
};

const maxMessagesOf = (pool: Pool) => pool.options.maxMessages ?? Number.POSITIVE_INFINITY;

/**
 * A connection went away with messages on it: those not yet transmitted (not a byte of their
 * content sent) go back to the front of the queue; the others fail with `error`.
 */
const abandonCarried = (pool: Pool, session: SmtpSession, error: StagedError) => {
  const messages = [...carriedBy(session)].reverse();
  carriedBy(session).clear();
  session.inFlight = 0;
  for (const message of messages) {
    message.session = undefined;
    if (message.settled) {
      continue;
    }
    if (!message.body?.readableDidRead) {
      pool.queue.unshift(message);
    } else {
      failMessage(message, withStage(Object.assign(new Error(error.message), error), 'data'));
    }
  }
};

const startIdleTimer = (pool: Pool, session: SmtpSession) => {
  clearTimeout(session.idleTimer);
  const idleTimeout = (pool.options as { idleTimeout?: number }).idleTimeout;
  if (!idleTimeout) {
    return;
  }
  session.idleTimer = setTimeout(() => {
    if (session.state === 'idle') {
      removeSession(pool, session);
      session.connection.quit();
    }
  }, idleTimeout);
  session.idleTimer.unref();
};

const releaseSession = (pool: Pool, session: SmtpSession) => {
  if (session.state === 'closed' || session.inFlight > 0) {
    pump(pool);
    return;
  }
  const exhausted = session.messages >= maxMessagesOf(pool);
  if (exhausted || (pool.retired && pool.queue.length === 0)) {
    removeSession(pool, session);
    session.connection.quit();
  } else {
    session.state = 'idle';
    startIdleTimer(pool, session);
  }
  pump(pool);
};

/**
 * Hands `message` to a logged-in connection: an idle one, or one whose message in flight has been
 * written in full on a server that pipelines (RFC 2920), so this message's MAIL, RCPT and DATA go
 * out right behind it and its reply costs no round trip of its own.
 */
const transmit = (pool: Pool, session: SmtpSession, message: QueuedMessage) => {
  clearTimeout(session.idleTimer);
  let compiled: ReturnType<typeof compileMessage>;
  try {
    compiled = compileMessage(message.mail, pool.options.dkim);
  } catch (error: unknown) {
    failMessage(message, withStage(error, 'envelope'));
    releaseSession(pool, session);
    return;
  }
  session.state = 'busy';
  session.inFlight += 1;
  session.messages += 1;
  session.acceptsNext = false;
  message.session = session;
  carriedBy(session).add(message);
  const body = compiled.message.createReadStream();
  message.body = body;
  if (supportsPipelining(session)) {
    onceBodyWritten(session, body, () => {
      if (session.state === 'busy' && session.inFlight === 1 && message.session === session) {
        session.acceptsNext = session.messages < maxMessagesOf(pool);
        pump(pool);
      }
    });
  }
  session.connection.send(compiled.envelope, body, (error, info) => {
    if (message.session !== session) {
      // Already handled: the connection closed under it, or its deadline passed.
      return;
    }
    message.session = undefined;
    carriedBy(session).delete(message);
    session.inFlight -= 1;
    const transmitted = body.readableDidRead;
    if (!error) {
      if (!message.settled) {
        settle(message);
        message.resolve({ messageId: compiled.messageId, response: info?.response ?? '' });
      }
      releaseSession(pool, session);
      return;
    }
    const failure = withStage(error, transmitted ? 'data' : 'envelope');
    const closedBeforeReply =
      !failure.responseCode && (failure.code === 'ECONNECTION' || failure.code === 'ESOCKET');
    if (!transmitted && closedBeforeReply && session.messages > 1 && !message.settled) {
      // A reused connection the server had already dropped (idle timeout on its side): not a
      // byte of this message was sent, so it goes out on another connection.
      removeSession(pool, session);
      session.connection.close();
      pool.queue.unshift(message);
      abandonCarried(pool, session, failure);
      pump(pool);
      return;
    }
    failMessage(message, failure);
    const rejectedOnly =
      (failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE') &&
      failure.responseCode !== 421 &&
      session.state === 'busy';
    if (rejectedOnly && failure.code === 'EMESSAGE') {
      // The final reply ends the transaction (RFC 5321 §4.1.1.4): the connection goes on.
      releaseSession(pool, session);
      return;
    }
    if (rejectedOnly && session.inFlight === 0) {
      // The server refused this message's envelope; the connection is fine. RSET ends the
      // transaction (RFC 5321 §4.1.1.5) and the connection takes the next message.
      session.connection.reset((resetError) => {
        if (resetError) {
          removeSession(pool, session);
          session.connection.close();
          pump(pool);
          return;
        }
        releaseSession(pool, session);
      });
      return;
    }
    removeSession(pool, session);
    session.connection.close();
    abandonCarried(pool, session, failure);
    pump(pool);
  });
};

const onSessionFailed = (pool: Pool, session: SmtpSession, error: StagedError) => {
  removeSession(pool, session);
  const now = Date.now();
  pool.lastOpenFailure = { error, at: now };
  const open = pool.sessions.size;
  if (isConnectionRefusal(error, error.smtpStage ?? 'connect')) {
    // The server has as many of our connections as it takes: keep to those. Messages stay queued.
    pool.limit = Math.max(1, open);
    pool.lastRefusalAt = now;
    if (open === 0 && !pool.retryTimer) {
      const delay = Math.min(refusalRetryBaseMs * 2 ** pool.refusalsInARow, refusalRetryMaxMs);
      pool.refusalsInARow += 1;
      pool.retryTimer = setTimeout(() => {
        pool.retryTimer = undefined;
        pump(pool);
      }, delay);
      return;
    }
    pump(pool);
    return;
  }
  if (open === 0) {
    // Nothing else can carry the queue, and this was no "try again": the config or the server
    // is wrong (login refused, TLS mismatch, nothing listening). Every waiting message fails now.
    for (const message of pool.queue.splice(0)) {
      failMessage(message, error);
    }
    return;
  }
  pump(pool);
};

const openSessionFor = (pool: Pool) => {
  const session = openSession(
    connectionOptionsOf(pool.options),
    pool.auth,
    {
      onReady: (ready) => {
        pool.refusalsInARow = 0;
        if (pool.retired && pool.queue.length === 0) {
          removeSession(pool, ready);
          ready.connection.quit();
          return;
        }
        recoverLimit(pool, Date.now());
        pump(pool);
      },
      onFailed: (failed, error) => onSessionFailed(pool, failed, error),
      onClosed: (closed) => {
        removeSession(pool, closed);
        // nodemailer completes the send it is waiting on right after 'end', with the real reason;
        // only a message pipelined ahead of it has no callback coming.
        setImmediate(() => {
          abandonCarried(
            pool,
            closed,
            Object.assign(new Error('The server closed the connection'), { code: 'ECONNECTION' }),
          );
          pump(pool);
        });
      },
    },
    pool.openSocket,
  );
  pool.sessions.add(session);
};

/**
 * Moves queued messages onto idle connections, and opens connections (all at once, up to the
 * limit) while more messages wait than connections are being opened: a burst gets its
 * connections in one round of handshakes, not one after another.
 */
const pump = (pool: Pool): void => {
  for (;;) {
    const message = pool.queue[0];
    if (!message) {
      return;
    }
    if (message.settled) {
      pool.queue.shift();
      continue;
    }
    const idle = [...pool.sessions].find((session) => session.state === 'idle');
    if (idle) {
      if (!rateAllows(pool, Date.now())) {
        return;
      }
      pool.queue.shift();
      transmit(pool, idle, message);
      continue;
    }
    recoverLimit(pool, Date.now());
    const opening = countSessions(pool, 'opening');
    if (!pool.retryTimer && pool.sessions.size < pool.limit && opening < pool.queue.length) {
      openSessionFor(pool);
      continue;
    }
    const pipelined = [...pool.sessions].find(
      (session) => session.state === 'busy' && session.acceptsNext,
    );
    if (pipelined && rateAllows(pool, Date.now())) {
      pool.queue.shift();
      transmit(pool, pipelined, message);
      continue;
    }
    return;
  }
};

/** A message that ran out of time: the stage it was in, or, still queued, what kept it waiting. */
const timeoutOf = (pool: Pool, message: QueuedMessage, deadlineMs: number): StagedError => {
  const session = message.session;
  if (session) {
    const stage = stageOf(session, message.body);
    return Object.assign(new Error(`No reply within ${deadlineMs} ms (stage: ${stage})`), {
      code: 'ETIMEDOUT',
      smtpStage: stage,
    });
  }
  const error: StagedError = Object.assign(
    new Error(`No connection became free within ${deadlineMs} ms`),
    { code: 'ETIMEDOUT', smtpStage: 'queue' as const },
  );
  // Waiting on a connection that has been setting up for most of the wait: that set-up is what
  // stalled. (One started just now, after a busy connection gave up, is not.)
  const opening = [...pool.sessions].find(
    (candidate) =>
      candidate.state === 'opening' && candidate.startedAt <= message.queuedAt + deadlineMs / 2,
  );
  const recent = pool.lastOpenFailure;
  if (opening) {
    const stage = stageOf(opening);
    error.poolCause = Object.assign(new Error(`Connection stalled (stage: ${stage})`), {
      code: 'ETIMEDOUT',
      smtpStage: stage,
    });
  } else if (recent && Date.now() - recent.at <= deadlineMs) {
    error.poolCause = recent.error;
  }
  return error;
};

const retire = (pool: Pool) => {
  if (pool.retired) {
    return;
  }
  pool.retired = true;
  pools.delete(pool.key);
  // Messages already queued still go out (on connections open or being opened); idle ones close.
  for (const session of [...pool.sessions]) {
    if (session.state === 'idle') {
      removeSession(pool, session);
      session.connection.close();
    }
  }
};

const sweep = (now: number) => {
  for (const pool of pools.values()) {
    if (pool.inFlight === 0 && now - pool.lastUsed > unusedPoolLifetimeMs) {
      retire(pool);
    }
  }
  if (pools.size > maxPools) {
    const idle = [...pools.values()]
      .filter((pool) => pool.inFlight === 0)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const pool of idle.slice(0, pools.size - maxPools)) {
      retire(pool);
    }
  }
};

const acquire = (config: SmtpConfig): Pool => {
  const key = transportKeyOf(config);
  const existing = pools.get(key);
  if (existing) {
    return existing;
  }
  const options = poolOptionsOf(config);
  const pool: Pool = {
    key,
    slot: slotOf(config),
    options,
    auth: loginOf(options, networkOf(config)),
    // `network.proxy`, else HTTPS_PROXY unless NO_PROXY lists the host: base opens an HTTP
    // CONNECT tunnel and nodemailer speaks SMTP (and TLS) over it.
    openSocket: () =>
      connectThroughProxy(
        { host: config.host, port: config.port },
        networkOf(config),
        options.connectionTimeout ?? defaultConnectionTimeoutMs,
      ),
    queue: [],
    sessions: new Set(),
    limit: options.maxConnections ?? 1,
    lastRefusalAt: 0,
    refusalsInARow: 0,
    rateWindow: { start: 0, count: 0 },
    inFlight: 0,
    lastUsed: Date.now(),
    retired: false,
  };
  // The config for this server and account changed (a new password, timeouts, TLS settings):
  // the old pool finishes what it is sending, then closes.
  for (const other of pools.values()) {
    if (other.slot === pool.slot) {
      retire(other);
    }
  }
  pools.set(key, pool);
  return pool;
};

/**
 * Sends one message through the pool for `config`. `deadlineMs` bounds the whole send, waiting
 * for a connection included; when it passes, the error names the stage that stalled.
 */
export const sendThroughPool = async (
  config: SmtpConfig,
  mail: SendMailOptions,
  deadlineMs: number,
): Promise<SentInfo> => {
  const now = Date.now();
  sweep(now);
  const pool = acquire(config);
  pool.inFlight += 1;
  pool.lastUsed = now;
  try {
    return await new Promise<SentInfo>((resolve, reject) => {
      const message: QueuedMessage = {
        mail,
        settled: false,
        queuedAt: Date.now(),
        resolve,
        reject,
        deadline: setTimeout(() => {
          const error = timeoutOf(pool, message, deadlineMs);
          const session = message.session;
          failMessage(message, error);
          if (session) {
            // The connection stalled mid-transaction: it cannot take another message.
            message.session = undefined;
            carriedBy(session).delete(message);
            removeSession(pool, session);
            session.connection.close();
            abandonCarried(pool, session, error);
          }
          pump(pool);
        }, deadlineMs),
      };
      pool.queue.push(message);
      pump(pool);
    });
  } finally {
    pool.inFlight -= 1;
    pool.lastUsed = Date.now();
  }
};

/** Open pools, for tests and diagnostics. */
export const openPoolCount = (): number => pools.size;

/** Closes every pool (tests; a process that shuts down). */
export const closeAllPools = (): void => {
  for (const pool of [...pools.values()]) {
    retire(pool);
  }
};
