import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

/**
 * Where an SMTP send stands, so a failure names the step that stalled or failed (issue 19):
 * - `queue`: waiting for a pooled connection (every one busy, or none could be opened yet);
 * - `connect`: DNS and the TCP connection;
 * - `greeting`: connected, waiting for the 220 greeting (and the EHLO answer);
 * - `tls`: the TLS handshake (implicit TLS on 465, or after STARTTLS, RFC 3207);
 * - `auth`: AUTH (RFC 4954);
 * - `envelope`: MAIL FROM / RCPT TO / DATA (RFC 5321 §3.3), pipelined when offered (RFC 2920);
 * - `data`: the message content and the server's final reply.
 */
export type SmtpStage = 'queue' | 'connect' | 'greeting' | 'tls' | 'auth' | 'envelope' | 'data';

/** What a failure carries besides nodemailer's fields: the stage, and for a queued message the cause. */
export type StagedError = Error & {
  code?: string;
  responseCode?: number;
  smtpStage?: SmtpStage;
  /** For a message that ran out of time waiting: the failure or stall that kept it waiting. */
  poolCause?: StagedError;
};

/** nodemailer's connection fields that tell the phase of a session still being set up. */
type ConnectionInternals = {
  stage: string;
  upgrading?: boolean;
  secureConnection?: boolean;
  _socket?: { connecting?: boolean } | false;
};

export type SessionState = 'opening' | 'idle' | 'busy' | 'closed';

export type SmtpSession = {
  connection: SMTPConnection;
  state: SessionState;
  /** Set once the connection is open; until then the stage is read from the connection. */
  openedStage?: 'auth' | 'ready';
  /** Messages handed to this connection and not answered yet: 0, 1, or 2 while pipelining. */
  inFlight: number;
  /**
   * The message in flight has been written in full, and the server announced PIPELINING
   * (RFC 2920): the next message's MAIL, RCPT and DATA can follow it without waiting for its reply.
   */
  acceptsNext: boolean;
  /** Messages handed to this connection in all (for `pool.maxMessages`). */
  messages: number;
  /** When the connection was started (Date.now()). */
  startedAt: number;
  idleTimer?: NodeJS.Timeout;
};

/** The stage a session is in right now. */
export const stageOf = (session: SmtpSession, body?: Readable): SmtpStage => {
  if (session.openedStage === 'auth') {
    return 'auth';
  }
  if (session.openedStage === 'ready') {
    return body?.readableDidRead ? 'data' : 'envelope';
  }
  const connection = session.connection as unknown as ConnectionInternals;
  if (connection.stage === 'init') {
    // Implicit TLS: the TCP connection is up (no longer `connecting`) but the handshake is not done.
    const socket = connection._socket;
    return socket && socket.connecting === false && connection.secureConnection ? 'tls' : 'connect';
  }
  return connection.upgrading ? 'tls' : 'greeting';
};

/** Whether the server announced PIPELINING (RFC 2920) in its EHLO reply. */
export const supportsPipelining = (session: SmtpSession): boolean =>
  (
    session.connection as unknown as { _supportedExtensions?: string[] }
  )._supportedExtensions?.includes('PIPELINING') ?? false;

/**
 * Calls `written` once `body` has gone to the socket in full, end-of-data dot included: from then
 * on, commands for another message cannot end up inside this one.
 */
export const onceBodyWritten = (session: SmtpSession, body: Readable, written: () => void) => {
  body.once('end', () => {
    const dataStream = (session.connection as unknown as { _currentDataStream?: Readable | false })
      ._currentDataStream;
    if (dataStream && !dataStream.readableEnded) {
      dataStream.once('end', written);
      return;
    }
    setImmediate(written);
  });
};

/** Marks `error` with the stage it happened in (the first stage given wins). */
export const withStage = (error: unknown, stage: SmtpStage): StagedError => {
  const staged: StagedError = error instanceof Error ? error : new Error(String(error));
  staged.smtpStage ??= stage;
  return staged;
};

/**
 * A refusal that says "not now, not this connection" rather than "this config is wrong": a 421
 * or another 4xx before the session is set up (smtp-server's `maxClients`: "421 Too many
 * connected clients"), or a close before the greeting. Messages waiting for such a connection were
 * never transmitted, so they stay queued for the connections that work (RFC 5321 §3.8, §4.2.5).
 */
export const isConnectionRefusal = (error: StagedError, stage: SmtpStage): boolean => {
  if (stage !== 'greeting' && stage !== 'connect') {
    return false;
  }
  if (error.responseCode) {
    return error.responseCode >= 400 && error.responseCode < 500;
  }
  return (
    stage === 'greeting' &&
    (error.code === 'ECONNECTION' ||
      (error as { originalCode?: string }).originalCode === 'ECONNRESET' ||
      /closed unexpectedly|ECONNRESET/i.test(error.message))
  );
};

/**
 * Opens a connection and logs in. `onReady` runs once the session can take a message;
 * `onFailed` at most once, with the stage the failure happened in, if it never became ready.
 *
 * The one place a connection's socket options are set: a proxy (HTTP CONNECT) hands nodemailer
 * an open socket as `connection` here.
 */
export const openSession = (
  options: SMTPConnection.Options,
  auth: SMTPConnection.AuthenticationType | undefined,
  handlers: {
    onReady: (session: SmtpSession) => void;
    onFailed: (session: SmtpSession, error: StagedError) => void;
    /** An error or close outside a send once the session was ready (e.g. the server hung up an idle one). */
    onClosed: (session: SmtpSession) => void;
  },
  /**
   * A connected socket to speak SMTP (and TLS) over instead of connecting directly: an HTTP
   * CONNECT tunnel through the connector's proxy, or `undefined` when none applies.
   */
  openSocket?: () => Promise<Socket | undefined>,
): SmtpSession => {
  const session: SmtpSession = {
    connection: new SMTPConnection(options),
    state: 'opening',
    inFlight: 0,
    acceptsNext: false,
    messages: 0,
    startedAt: Date.now(),
  };
  let settled = false;
  const fail = (error: unknown) => {
    if (settled) {
      return;
    }
    settled = true;
    const staged = withStage(error, stageOf(session));
    session.state = 'closed';
    session.connection.close();
    handlers.onFailed(session, staged);
  };
  session.connection.on('error', (error: Error) => {
    if (!settled) {
      fail(error);
      return;
    }
    // Errors during a send reach the send's callback; the 'end' that follows closes the session.
  });
  session.connection.once('end', () => {
    if (!settled) {
      fail(
        Object.assign(new Error('Connection closed unexpectedly'), {
          code: 'ECONNECTION' as const,
        }),
      );
      return;
    }
    if (session.state !== 'closed') {
      session.state = 'closed';
      handlers.onClosed(session);
    }
  });
  const connect = () =>
    session.connection.connect((error) => {
      if (error) {
        fail(error);
        return;
      }
      if (settled) {
        return;
      }
      const ready = () => {
        settled = true;
        session.openedStage = 'ready';
        session.state = 'idle';
        handlers.onReady(session);
      };
      if (!auth || !session.connection.allowsAuth) {
        ready();
        return;
      }
      session.openedStage = 'auth';
      session.connection.login(auth, (loginError) => {
        if (loginError) {
          fail(withStage(loginError, 'auth'));
          return;
        }
        if (!settled) {
          ready();
        }
      });
    });
  if (!openSocket) {
    connect();
    return session;
  }
  openSocket().then((socket) => {
    if (settled) {
      socket?.destroy();
      return;
    }
    if (socket) {
      // nodemailer speaks over a given socket (and upgrades it for implicit TLS) when its
      // `connection` option is set before connect(), as its transports' `getSocket` does.
      (session.connection as unknown as { options: SMTPConnection.Options }).options.connection =
        socket;
    }
    connect();
  }, fail);
  return session;
};
