import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { ConnectorError } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

/**
 * An SMTP server that misbehaves on purpose, on real loopback sockets: it never greets, resets the
 * connection mid-session, throttles with 421, rejects with 5xx, or is not there at all. Plain
 * text, no STARTTLS, any AUTH accepted (so a configured password crosses the wire, and must still
 * never appear in an error). RFC 5321 replies, one line each.
 */

export const smtpFaults = [
  'never-greets',
  'greets-then-silent',
  'reset-mid-session',
  'greeting-421',
  'throttled-421',
  'rejected-550',
  'dead-port',
] as const;

export type SmtpFault = (typeof smtpFaults)[number];

/** What each fault must come out as, per the SMTP connector's error mapping (base table). */
export const expectedSmtpFaultCodes: Readonly<Record<SmtpFault, string>> = {
  // Timeouts and network failures: `general`, naming the server.
  'never-greets': 'general',
  'greets-then-silent': 'general',
  'reset-mid-session': 'general',
  // RFC 5321 §4.2.2: 421 "Service not available, closing transmission channel" is transient.
  'greeting-421': 'rate_limit_exceeded',
  'throttled-421': 'rate_limit_exceeded',
  // A permanent rejection is neither the config's nor a throttle: `general` with the reply.
  'rejected-550': 'general',
  'dead-port': 'general',
};

export type SmtpFaultServer = {
  host: string;
  port: number;
  fault: SmtpFault;
  /** SMTP commands received (verbs only, never arguments: AUTH carries the password). */
  readonly commands: string[];
  stop(): Promise<void>;
};

const reply = (socket: Socket, line: string) => {
  if (!socket.destroyed) {
    socket.write(`${line}\r\n`);
  }
};

const serve = (fault: SmtpFault, socket: Socket, commands: string[]) => {
  if (fault === 'never-greets') {
    return;
  }
  if (fault === 'greeting-421') {
    reply(socket, '421 4.3.2 mx.fault.test Too many connections, try again later');
    socket.end();
    return;
  }
  reply(socket, '220 mx.fault.test ESMTP fault server');
  let buffered = '';
  let inData = false;
  // AUTH LOGIN: the prompts still to answer (username, then password).
  let loginPrompts = 0;
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    let end = buffered.indexOf('\r\n');
    while (end !== -1) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\r\n');
      if (loginPrompts > 0) {
        // A base64 answer to an AUTH LOGIN prompt: never recorded.
        loginPrompts -= 1;
        reply(
          socket,
          loginPrompts > 0 ? '334 UGFzc3dvcmQ6' : '235 2.7.0 Authentication successful',
        );
        continue;
      }
      if (inData) {
        if (line === '.') {
          inData = false;
          reply(socket, '250 2.0.0 Ok: queued');
        }
        continue;
      }
      const verb = line.split(' ')[0]?.toUpperCase() ?? '';
      commands.push(verb);
      if (verb === 'EHLO' || verb === 'HELO') {
        if (fault === 'greets-then-silent') {
          return;
        }
        reply(socket, '250-mx.fault.test');
        reply(socket, '250-AUTH PLAIN LOGIN');
        reply(socket, '250 8BITMIME');
      } else if (verb === 'AUTH') {
        // AUTH PLAIN <initial response>, or AUTH LOGIN and its two prompts.
        if (line.split(' ')[1]?.toUpperCase() === 'LOGIN') {
          loginPrompts = 2;
          reply(socket, '334 VXNlcm5hbWU6');
        } else {
          reply(socket, '235 2.7.0 Authentication successful');
        }
      } else if (verb === 'MAIL') {
        if (fault === 'reset-mid-session') {
          socket.resetAndDestroy();
          return;
        }
        if (fault === 'throttled-421') {
          reply(socket, '421 4.7.0 mx.fault.test Rate limited, try again later');
          socket.end();
          return;
        }
        reply(socket, '250 2.1.0 Ok');
      } else if (verb === 'RCPT') {
        reply(socket, fault === 'rejected-550' ? '550 5.7.1 Relaying denied' : '250 2.1.5 Ok');
      } else if (verb === 'DATA') {
        inData = true;
        reply(socket, '354 End data with <CR><LF>.<CR><LF>');
      } else if (verb === 'RSET' || verb === 'NOOP') {
        reply(socket, '250 2.0.0 Ok');
      } else if (verb === 'QUIT') {
        reply(socket, '221 2.0.0 Bye');
        socket.end();
      } else {
        reply(socket, '502 5.5.2 Command not recognized');
      }
    }
  });
};

/** Starts a server with one fault (one per server: a pooled connection must not outlive its cell). */
export const startSmtpFaultServer = async (fault: SmtpFault): Promise<SmtpFaultServer> => {
  const sockets = new Set<Socket>();
  const commands: string[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    serve(fault, socket, commands);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  if (fault === 'dead-port') {
    // Nothing listens there any more: the connection is refused.
    await close();
  }
  return {
    host: '127.0.0.1',
    port,
    fault,
    commands,
    async stop() {
      for (const socket of sockets) {
        socket.destroy();
      }
      if (fault !== 'dead-port') {
        await close();
      }
    },
  };
};

export type SmtpFaultMatrixOptions = {
  connector: string;
  /** Sends one message through an SMTP server at host:port. */
  send: (server: { host: string; port: number }) => Promise<unknown>;
  /** The deadline the sends were configured with (connection, greeting, socket), in ms. */
  timeoutMs: number;
  /** @default 4000 */
  marginMs?: number;
  secrets: string[];
  expectedCodes?: Partial<Record<SmtpFault, string>>;
  faults?: readonly SmtpFault[];
};

/** The SMTP fault matrix: test names `<connector> send × <fault> → <code>`, like the HTTP one. */
export const describeSmtpFaultMatrix = (options: SmtpFaultMatrixOptions) => {
  const margin = options.marginMs ?? 4000;
  describe(`${options.connector} SMTP fault matrix`, () => {
    for (const fault of options.faults ?? smtpFaults) {
      const expected = options.expectedCodes?.[fault] ?? expectedSmtpFaultCodes[fault];
      it(`${options.connector} send × ${fault} → ${expected}`, {
        timeout: options.timeoutMs + margin + 5000,
      }, async () => {
        const server = await startSmtpFaultServer(fault);
        try {
          const started = performance.now();
          const outcome = await options.send(server).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          const elapsed = performance.now() - started;
          expect(outcome.ok, `the send succeeded against ${fault}`).toBe(false);
          const error = (outcome as { error: unknown }).error;
          expect(error, `threw ${String(error)}`).toBeInstanceOf(ConnectorError);
          const connectorError = error as ConnectorError;
          expect(connectorError.code, connectorError.message).toBe(expected);
          const text = `${connectorError.message} ${JSON.stringify(connectorError.data)}`;
          for (const secret of options.secrets) {
            expect(text.includes(secret), `the error contains the secret ${secret}`).toBe(false);
          }
          expect(elapsed, `took ${Math.round(elapsed)} ms`).toBeLessThan(
            options.timeoutMs + margin,
          );
        } finally {
          await server.stop();
        }
      });
    }
  });
};
