import { once } from 'node:events';
import net from 'node:net';
import { createTransport } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmtpSink, SmtpSinkOptions } from './smtp-sink';
import { getUnusedLoopbackPort, startSmtpSink } from './smtp-sink';
import { generateLoopbackTlsCertificate } from './tls-certificate';

const sinks: SmtpSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.stop()));
});

const start = async (options?: SmtpSinkOptions) => {
  const sink = await startSmtpSink(options);
  sinks.push(sink);
  return sink;
};

/** A plain-text nodemailer transport that never tries STARTTLS. */
const plainTransport = (sink: SmtpSink, extra: Record<string, unknown> = {}) =>
  createTransport({ host: sink.host, port: sink.port, secure: false, ignoreTLS: true, ...extra });

const message = {
  from: 'Sender <sender@example.com>',
  to: 'user@example.org',
  subject: 'Hello',
  text: 'Hi',
};

/** nodemailer rejects with an Error carrying the SMTP reply code. */
const smtpFailure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { responseCode?: number; code?: string; response?: string };
  }
  throw new Error('expected the send to fail');
};

describe('startSmtpSink', () => {
  it('receives a message sent with nodemailer, parsed with both parts and headers', async () => {
    const sink = await start();
    const transport = plainTransport(sink);
    await transport.sendMail({
      from: '"Logto" <noreply@example.com>',
      to: 'Ada <ada@example.org>',
      replyTo: 'help@example.com',
      subject: 'Your code: 123456 – ünïcode',
      text: 'Your code is 123456',
      html: '<p>Your code is <b>123456</b> &lt;3</p>',
      headers: { 'X-Idplug-Test': 'yes' },
      envelope: { from: 'bounce@example.com', to: ['ada@example.org'] },
    });
    transport.close();

    // The 250 after DATA is only sent once the message is stored.
    expect(sink.messages).toHaveLength(1);
    const [received] = sink.messages;
    expect(received?.envelope).toEqual({ from: 'bounce@example.com', to: ['ada@example.org'] });
    expect(received?.from).toEqual({ address: 'noreply@example.com', name: 'Logto' });
    expect(received?.to).toEqual([{ address: 'ada@example.org', name: 'Ada' }]);
    expect(received?.replyTo).toEqual([{ address: 'help@example.com', name: '' }]);
    expect(received?.subject).toBe('Your code: 123456 – ünïcode');
    expect(received?.text?.trim()).toBe('Your code is 123456');
    expect(received?.html).toBe('<p>Your code is <b>123456</b> &lt;3</p>');
    expect(received?.headers['x-idplug-test']).toBe('yes');
    expect(received?.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(received?.raw).toContain('X-Idplug-Test: yes');
    expect(received?.secure).toBe(false);
    expect(received?.authUser).toBeUndefined();
    expect(sink.connections.total).toBe(1);
  });

  it('does not synthesise a text part from an HTML-only message', async () => {
    const sink = await start();
    const transport = plainTransport(sink);
    await transport.sendMail({ ...message, text: undefined, html: '<p>only html</p>' });
    transport.close();
    expect(sink.messages[0]?.html?.trim()).toBe('<p>only html</p>');
    expect(sink.messages[0]?.text).toBeUndefined();
  });

  it('waitForMessages resolves once enough arrived and rejects on timeout', async () => {
    const sink = await start();
    const transport = plainTransport(sink);
    const waiting = sink.waitForMessages(2, 5000);
    await transport.sendMail(message);
    await transport.sendMail(message);
    await expect(waiting).resolves.toHaveLength(2);
    transport.close();
    await expect(sink.waitForMessages(3, 50)).rejects.toThrow(
      'expected 3 message(s) within 50 ms, got 2',
    );
  });

  describe('AUTH', () => {
    const auth = { user: 'mailer', pass: 's3cret' };

    it('accepts the right credentials (PLAIN and LOGIN)', async () => {
      const sink = await start({ auth });
      for (const method of ['PLAIN', 'LOGIN']) {
        const transport = plainTransport(sink, { auth, authMethod: method });
        await transport.sendMail(message);
        transport.close();
      }
      expect(sink.messages.map((received) => received.authUser)).toEqual(['mailer', 'mailer']);
    });

    it('answers wrong credentials with 535', async () => {
      const sink = await start({ auth });
      const transport = plainTransport(sink, { auth: { user: 'mailer', pass: 'wrong' } });
      const error = await smtpFailure(transport.sendMail(message));
      transport.close();
      expect(error.responseCode).toBe(535);
      expect(error.code).toBe('EAUTH');
      expect(sink.messages).toHaveLength(0);
    });

    it('answers MAIL FROM without AUTH with 530', async () => {
      const sink = await start({ auth });
      const transport = plainTransport(sink);
      const error = await smtpFailure(transport.sendMail(message));
      transport.close();
      expect(error.responseCode).toBe(530);
    });
  });

  describe('TLS', () => {
    it('upgrades with STARTTLS to the generated certificate, trusted through its CA', async () => {
      const sink = await start({ tls: 'starttls', auth: { user: 'u', pass: 'p' } });
      expect(sink.tls?.ca).toContain('BEGIN CERTIFICATE');
      const transport = createTransport({
        host: sink.host,
        port: sink.port,
        secure: false,
        requireTLS: true,
        auth: { user: 'u', pass: 'p' },
        tls: { ca: sink.tls?.ca },
      });
      await transport.sendMail(message);
      transport.close();
      expect(sink.messages[0]?.secure).toBe(true);
      expect(sink.messages[0]?.authUser).toBe('u');
    });

    it('refuses AUTH before STARTTLS (538), like a real submission port', async () => {
      const sink = await start({ tls: 'starttls', auth: { user: 'u', pass: 'p' } });
      const transport = plainTransport(sink, { auth: { user: 'u', pass: 'p' } });
      const error = await smtpFailure(transport.sendMail(message));
      transport.close();
      expect(error.responseCode).toBe(538);
    });

    it('fails the handshake for a client that does not trust the CA', async () => {
      const sink = await start({ tls: 'starttls' });
      const transport = createTransport({
        host: sink.host,
        port: sink.port,
        secure: false,
        requireTLS: true,
      });
      const error = await smtpFailure(transport.sendMail(message));
      transport.close();
      expect(error.code).toBe('ESOCKET');
      expect(error.message).toMatch(/certificate/i);
    });

    it('speaks implicit TLS from the first byte', async () => {
      const certificate = await generateLoopbackTlsCertificate();
      const sink = await start({ tls: 'implicit', certificate });
      const transport = createTransport({
        host: sink.host,
        port: sink.port,
        secure: true,
        tls: { ca: certificate.ca },
      });
      await transport.sendMail(message);
      transport.close();
      expect(sink.messages[0]?.secure).toBe(true);
    });
  });

  describe('throttling and rejection', () => {
    it.each([421, 450, 451, 452] as const)(
      'answers MAIL FROM with %i when throttling',
      async (code) => {
        const sink = await start({ throttle: { code, message: 'Too many messages, slow down' } });
        const transport = plainTransport(sink);
        const error = await smtpFailure(transport.sendMail(message));
        transport.close();
        expect(error.responseCode).toBe(code);
        expect(error.response).toContain('Too many messages, slow down');
        expect(sink.messages).toHaveLength(0);
      },
    );

    it('can throttle at RCPT TO, and only the first N times', async () => {
      const sink = await start({
        throttle: { code: 452, message: 'Try later', at: 'RCPT', times: 1 },
      });
      const transport = plainTransport(sink);
      const error = await smtpFailure(transport.sendMail(message));
      expect(error.responseCode).toBe(452);
      expect(error.code).toBe('EENVELOPE');
      await transport.sendMail(message);
      transport.close();
      expect(sink.messages).toHaveLength(1);
    });

    it('rejects recipients the test names, with its reply', async () => {
      const sink = await start({
        rejectRecipients: (address) =>
          address.startsWith('nobody@') ? { code: 550, message: '5.1.1 No such user' } : undefined,
      });
      const transport = plainTransport(sink);
      const error = await smtpFailure(transport.sendMail({ ...message, to: 'nobody@example.org' }));
      await transport.sendMail(message);
      transport.close();
      expect(error.responseCode).toBe(550);
      expect(error.response).toContain('No such user');
      expect(sink.messages.map((received) => received.envelope.to)).toEqual([['user@example.org']]);
    });
  });

  describe('timeouts and refusals', () => {
    it('accepts the connection but never greets with hangOnConnect', async () => {
      const sink = await start({ hangOnConnect: true });
      const transport = plainTransport(sink, { greetingTimeout: 300 });
      const startedAt = Date.now();
      const error = await smtpFailure(transport.sendMail(message));
      transport.close();
      expect(error.code).toBe('ETIMEDOUT');
      expect(Date.now() - startedAt).toBeLessThan(3000);
      expect(sink.connections.total).toBe(1);
    });

    it('delays the greeting by greetingDelayMs', async () => {
      const sink = await start({ greetingDelayMs: 400 });
      const startedAt = Date.now();
      const transport = plainTransport(sink, { greetingTimeout: 5000 });
      await transport.sendMail(message);
      transport.close();
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(400);
    });

    it('refuses connections over maxConnections with 421', async () => {
      const sink = await start({ maxConnections: 1, hangOnConnect: true });
      const first = net.connect(sink.port, sink.host);
      await once(first, 'connect');
      const transport = plainTransport(sink);
      const error = await smtpFailure(transport.sendMail(message));
      transport.close();
      first.destroy();
      expect(error.responseCode).toBe(421);
    });

    it('getUnusedLoopbackPort gives a port that refuses connections', async () => {
      const port = await getUnusedLoopbackPort();
      const transport = createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        ignoreTLS: true,
      });
      const error = await smtpFailure(transport.sendMail(message));
      transport.close();
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('stop() closes hung connections and the listener at once', async () => {
      const sink = await startSmtpSink({ hangOnConnect: true });
      const client = net.connect(sink.port, sink.host);
      await once(client, 'connect');
      const clientClosed = once(client, 'close');
      const startedAt = Date.now();
      await sink.stop();
      await clientClosed;
      // A hung client would otherwise stay until smtp-server's 60 s socket timeout.
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      const refused = net.connect(sink.port, sink.host);
      const [error] = await once(refused, 'error');
      expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    });
  });

  describe('connection counting', () => {
    const burst = 20;
    const sendBurst = async (sink: SmtpSink, transportOptions: Record<string, unknown>) => {
      const transport = plainTransport(sink, transportOptions);
      await Promise.all(
        Array.from({ length: burst }, (_, index) =>
          transport.sendMail({ ...message, subject: `#${index}` }),
        ),
      );
      transport.close();
      expect(sink.messages).toHaveLength(burst);
    };

    it('sees a pooled client stay within its pool size', async () => {
      const sink = await start();
      await sendBurst(sink, { pool: true, maxConnections: 3 });
      expect(sink.connections.peak).toBeLessThanOrEqual(3);
      expect(sink.connections.total).toBeLessThanOrEqual(3);
    });

    it('sees an unpooled client open one connection per message', async () => {
      const sink = await start();
      await sendBurst(sink, {});
      expect(sink.connections.total).toBe(burst);
      expect(sink.connections.peak).toBeGreaterThan(3);
    });

    /** Polls until no connection is open (closes reach the sink a little after the client's send resolves). */
    const waitUntilAllClosed = async (sink: SmtpSink, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (sink.connections.current > 0) {
        if (Date.now() > deadline) {
          throw new Error(
            `still ${sink.connections.current} connection(s) open after ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    describe.each(['none', 'starttls', 'implicit'] as const)('with tls: %s', (tls) => {
      const auth = { user: 'mailer', pass: 's3cret' };
      let certificate: Awaited<ReturnType<typeof generateLoopbackTlsCertificate>> | undefined;
      const startCounted = async () => {
        certificate ??= tls === 'none' ? undefined : await generateLoopbackTlsCertificate();
        return start({ tls, auth, ...(certificate && { certificate }) });
      };
      /** One connection per message (no pool), with STARTTLS required when the sink offers it. */
      const unpooledTransport = (sink: SmtpSink) =>
        createTransport({
          host: sink.host,
          port: sink.port,
          secure: tls === 'implicit',
          ignoreTLS: tls === 'none',
          requireTLS: tls === 'starttls',
          auth,
          ...(sink.tls && { tls: { ca: sink.tls.ca } }),
        });

      it('sees each closed connection leave: 10 sequential sends peak at 1', async () => {
        const sink = await startCounted();
        const transport = unpooledTransport(sink);
        for (let index = 0; index < 10; index++) {
          await transport.sendMail({ ...message, subject: `#${index}` });
          await waitUntilAllClosed(sink);
        }
        transport.close();
        expect(sink.messages.every((received) => received.secure === (tls !== 'none'))).toBe(true);
        expect(sink.connections).toEqual({ current: 0, peak: 1, total: 10 });
      });

      it('counts the true concurrent maximum: 10 concurrent sends peak at 10', async () => {
        const sink = await startCounted();
        const transport = unpooledTransport(sink);
        await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            transport.sendMail({ ...message, subject: `#${index}` }),
          ),
        );
        transport.close();
        await waitUntilAllClosed(sink);
        expect(sink.messages).toHaveLength(10);
        expect(sink.connections).toEqual({ current: 0, peak: 10, total: 10 });
      });
    });

    it('sees a connection leave whose STARTTLS handshake failed', async () => {
      const sink = await start({ tls: 'starttls' });
      const untrusting = createTransport({
        host: sink.host,
        port: sink.port,
        secure: false,
        requireTLS: true,
      });
      await smtpFailure(untrusting.sendMail(message));
      untrusting.close();
      await waitUntilAllClosed(sink);
      expect(sink.connections).toEqual({ current: 0, peak: 1, total: 1 });
    });

    it('reset() clears messages and restarts the counters', async () => {
      const sink = await start();
      await sendBurst(sink, {});
      sink.reset();
      expect(sink.messages).toHaveLength(0);
      expect(sink.connections.total).toBe(sink.connections.current);
    });
  });
});
