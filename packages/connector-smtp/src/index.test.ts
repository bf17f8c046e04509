import { generateKeyPairSync } from 'node:crypto';
import { getUnusedLoopbackPort, type SmtpSink, startSmtpSink } from '@idplug/emulators';
import { expectConnectorError } from '@idplug/testing';
import {
  ConnectorError,
  type EmailConnector,
  type GetI18nEmailTemplate,
  type SendMessageData,
  TemplateType,
} from '@logto/connector-kit';
import { afterEach, describe, expect, it } from 'vitest';
import createSmtpConnector from './index';
import { closeAllPools, openPoolCount } from './transport-pool';

const password = 'sink-password-7f3a9c';
const credentials = { user: 'mailer@example.com', pass: password };

const sinks: SmtpSink[] = [];
const startSink = async (options: Parameters<typeof startSmtpSink>[0] = {}) => {
  const sink = await startSmtpSink(options);
  sinks.push(sink);
  return sink;
};

afterEach(async () => {
  closeAllPools();
  await Promise.all(sinks.splice(0).map((sink) => sink.stop()));
});

const templates = [
  {
    usageType: 'Generic',
    contentType: 'text/html',
    subject: 'Your code for {{application.name}}',
    content:
      '<p>Hello {{name}},</p><p>your code is <b>{{code}}</b>.</p><p><a href="https://example.com/help">Help</a></p>',
  },
  {
    usageType: 'SignIn',
    contentType: 'text/plain',
    subject: 'Sign-in code',
    content: 'Your sign-in code is {{code}}.',
  },
];

/** A config for a sink: AUTH when the sink has it, its CA trusted when it speaks TLS. */
const configFor = (sink: SmtpSink, overrides: Record<string, unknown> = {}) => ({
  host: sink.host,
  port: sink.port,
  auth: credentials,
  fromEmail: '"Idplug" <no-reply@example.com>',
  replyTo: 'support@example.com',
  templates,
  connectionTimeout: 2000,
  greetingTimeout: 2000,
  ...(sink.tls && { tls: { ca: sink.tls.ca } }),
  ...overrides,
});

const load = async (config: unknown, getI18nEmailTemplate?: GetI18nEmailTemplate) =>
  (await createSmtpConnector({
    getConfig: async () => config,
    getI18nEmailTemplate,
  })) as EmailConnector;

const message = (overrides: Partial<SendMessageData> = {}): SendMessageData =>
  ({
    to: 'person@example.org',
    type: TemplateType.Generic,
    payload: { code: '123456', name: '<script>alert(1)</script>', application: { name: 'Acme' } },
    ...overrides,
  }) as SendMessageData;

/** The ConnectorError a failing send throws. */
const failureOf = async (send: Promise<unknown>): Promise<ConnectorError> => {
  const error = await send.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
};

/** The human message a ConnectorError carries in `data.message` (`message` is its JSON). */
const messageOf = (error: ConnectorError) => (error.data as { message: string }).message;

const waitUntil = async (condition: () => boolean, timeoutMs = 3000) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('delivery', () => {
  it('sends an HTML template over STARTTLS with AUTH as text and HTML parts, values escaped in HTML', async () => {
    const sink = await startSink({ tls: 'starttls', auth: credentials });
    const connector = await load(
      configFor(sink, {
        requireTLS: true,
        customHeaders: { 'X-Tenant': 'acme', Bcc: 'thief@example.net' },
      }),
    );

    await connector.sendMessage(message());

    const [received] = await sink.waitForMessages(1);
    expect(received?.secure).toBe(true);
    expect(received?.authUser).toBe(credentials.user);
    expect(received?.envelope).toEqual({
      from: 'no-reply@example.com',
      to: ['person@example.org'],
    });
    expect(received?.from).toEqual({ address: 'no-reply@example.com', name: 'Idplug' });
    expect(received?.to).toEqual([{ address: 'person@example.org', name: '' }]);
    expect(received?.replyTo).toEqual([{ address: 'support@example.com', name: '' }]);
    expect(received?.subject).toBe('Your code for Acme');
    expect(received?.headers['x-tenant']).toBe('acme');
    expect(received?.headers.bcc).toBeUndefined();
    expect(received?.headers['content-type']).toMatch(/^multipart\/alternative/);
    // HTML: payload values are data, not markup.
    expect(received?.html).toContain('<b>123456</b>');
    expect(received?.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(received?.html).not.toContain('<script>');
    // Text: the same message, readable, values as written.
    expect(received?.text).toContain('Hello <script>alert(1)</script>,');
    expect(received?.text).toContain('your code is 123456.');
    expect(received?.text).toContain('Help (https://example.com/help)');
    expect(received?.text).not.toContain('<p>');
  });

  it('sends a plain-text template as a single text part', async () => {
    const sink = await startSink({ auth: credentials });
    const connector = await load(configFor(sink));

    await connector.sendMessage(message({ type: TemplateType.SignIn }));

    const [received] = await sink.waitForMessages(1);
    expect(received?.subject).toBe('Sign-in code');
    expect(received?.text?.trim()).toBe('Your sign-in code is 123456.');
    expect(received?.html).toBeUndefined();
    expect(received?.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('delivers over implicit TLS when secure is on', async () => {
    const sink = await startSink({ tls: 'implicit', auth: credentials });
    const connector = await load(configFor(sink, { secure: true }));

    await connector.sendMessage(message({ type: TemplateType.SignIn }));

    const [received] = await sink.waitForMessages(1);
    expect(received?.secure).toBe(true);
    expect(received?.authUser).toBe(credentials.user);
  });

  it('sends without AUTH to a relay that authorizes by IP address', async () => {
    const sink = await startSink();
    const connector = await load(configFor(sink, { auth: {} }));

    await connector.sendMessage(message({ type: TemplateType.SignIn }));

    const [received] = await sink.waitForMessages(1);
    expect(received?.authUser).toBeUndefined();
  });

  it("uses Logto's localized template before the config's", async () => {
    const sink = await startSink({ auth: credentials });
    const requested: Array<[string, string | undefined]> = [];
    const connector = await load(configFor(sink), async (type, locale) => {
      requested.push([type, locale]);
      return {
        subject: 'Votre code',
        content: '<p>Votre code : {{code}}</p>',
        contentType: 'text/html',
        replyTo: 'aide@example.fr',
      };
    });

    await connector.sendMessage(
      message({ type: TemplateType.SignIn, payload: { code: '654321', locale: 'fr' } }),
    );

    const [received] = await sink.waitForMessages(1);
    expect(requested).toEqual([['SignIn', 'fr']]);
    expect(received?.subject).toBe('Votre code');
    expect(received?.html).toContain('Votre code : 654321');
    expect(received?.text?.trim()).toBe('Votre code : 654321');
    expect(received?.replyTo).toEqual([{ address: 'aide@example.fr', name: '' }]);
  });

  it('falls back to the Generic template for a usage type the config has no template for', async () => {
    const sink = await startSink({ auth: credentials });
    const connector = await load(configFor(sink), async () => undefined);

    await connector.sendMessage(message({ type: TemplateType.ForgotPassword }));

    const [received] = await sink.waitForMessages(1);
    expect(received?.subject).toBe('Your code for Acme');
    expect(received?.html).toContain('<b>123456</b>');
  });

  it('sends with the unsaved config the console passes to "send test"', async () => {
    const sink = await startSink({ auth: credentials });
    const connector = await createSmtpConnector({
      getConfig: async () => {
        throw new Error('nothing is stored yet');
      },
    });

    await connector.sendMessage(message({ type: TemplateType.SignIn }), configFor(sink));

    const [received] = await sink.waitForMessages(1);
    expect(received?.subject).toBe('Sign-in code');
  });

  it('refuses a recipient containing CR/LF before anything is sent', async () => {
    const sink = await startSink({ auth: credentials });
    const connector = await load(configFor(sink));

    const error = await failureOf(
      connector.sendMessage(message({ to: 'person@example.org\r\nBcc: thief@example.net' })),
    );

    expect(error.code).toBe('invalid_request_parameters');
    expect(messageOf(error)).toMatch(/line break/);
    expect(sink.connections.total).toBe(0);
    expect(sink.messages).toHaveLength(0);
  });

  it('refuses a list of recipients before anything is sent', async () => {
    const sink = await startSink({ auth: credentials });
    const connector = await load(configFor(sink));

    const error = await failureOf(
      connector.sendMessage(message({ to: 'person@example.org, thief@example.net' })),
    );

    expect(error.code).toBe('invalid_request_parameters');
    expect(sink.connections.total).toBe(0);
  });

  it('signs messages with DKIM when configured', async () => {
    const sink = await startSink({ auth: credentials });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const connector = await load(
      configFor(sink, {
        dkim: {
          domainName: 'example.com',
          keySelector: 'mail2026',
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
      }),
    );

    await connector.sendMessage(message());

    const [received] = await sink.waitForMessages(1);
    const signature = received?.headers['dkim-signature'] ?? '';
    expect(signature).toMatch(/\bd=example\.com;/);
    expect(signature).toMatch(/\bs=mail2026;/);
    expect(signature).toMatch(/\bbh=[A-Za-z0-9+/=]+;/);
    expect(signature).toMatch(/\bh=[^;]*[Ff]rom/);
  });
});

describe('errors', () => {
  it('maps a refused login to invalid_config, naming the user and never the password', async () => {
    const sink = await startSink({ auth: credentials });
    const wrongPassword = 'wrong-password-91d2e7';
    const connector = await load(
      configFor(sink, { auth: { user: credentials.user, pass: wrongPassword } }),
    );

    const error = await expectConnectorError(connector.sendMessage(message()), {
      code: 'invalid_config',
      secrets: [wrongPassword],
    });

    expect(messageOf(error)).toContain(credentials.user);
    expect(messageOf(error)).toContain('535');
    expect(sink.messages).toHaveLength(0);
  });

  it('maps a server that requires AUTH when none is configured to invalid_config', async () => {
    const sink = await startSink({ auth: credentials });
    const connector = await load(configFor(sink, { auth: {} }));

    const error = await failureOf(connector.sendMessage(message()));

    expect(error.code).toBe('invalid_config');
    expect(messageOf(error)).toMatch(/requires authentication/);
  });

  it.each([
    [421, 'MAIL'],
    [450, 'MAIL'],
    [451, 'RCPT'],
    [452, 'RCPT'],
  ] as const)('maps a %i throttling reply at %s to rate_limit_exceeded', async (code, at) => {
    const sink = await startSink({
      auth: credentials,
      throttle: { code, at, message: 'Too many messages, slow down' },
    });
    const connector = await load(configFor(sink));

    const error = await failureOf(connector.sendMessage(message()));

    expect(error.code).toBe('rate_limit_exceeded');
    expect(messageOf(error)).toContain(String(code));
    expect(error.data).toMatchObject({ status: code });
    expect(sink.messages).toHaveLength(0);
  });

  it('names the SMTP reply code when the server rejects the recipient', async () => {
    const sink = await startSink({
      auth: credentials,
      rejectRecipients: () => ({ code: 550, message: '5.1.1 No such user here' }),
    });
    const connector = await load(configFor(sink));

    const error = await failureOf(connector.sendMessage(message()));

    expect(error.code).toBe('general');
    expect(messageOf(error)).toMatch(/rejected the recipient with SMTP reply 550/);
    expect(messageOf(error)).toContain('No such user here');
  });

  it('keeps the pooled connection open after a recipient is rejected', async () => {
    const sink = await startSink({
      auth: credentials,
      rejectRecipients: (address) =>
        address.startsWith('nobody') ? { code: 550, message: 'No such user' } : undefined,
    });
    const connector = await load(configFor(sink));

    await failureOf(connector.sendMessage(message({ to: 'nobody@example.org' })));
    // A 5xx for one recipient says nothing about the session: RSET, and the connection stays.
    await waitUntil(() => sink.connections.current === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await connector.sendMessage(message());

    expect(sink.messages).toHaveLength(1);
    expect(sink.connections.total).toBe(1);
  });

  it('fails fast on a dead port, naming host, port and the timeout', async () => {
    const port = await getUnusedLoopbackPort();
    const connector = await load({
      host: '127.0.0.1',
      port,
      auth: credentials,
      fromEmail: 'no-reply@example.com',
      templates,
      connectionTimeout: 1500,
    });

    const started = Date.now();
    const error = await failureOf(connector.sendMessage(message()));

    expect(Date.now() - started).toBeLessThan(1500);
    expect(error.code).toBe('general');
    expect(messageOf(error)).toContain(`127.0.0.1:${port}`);
    expect(messageOf(error)).toContain('ECONNREFUSED');
    expect(messageOf(error)).toContain('connection timeout 1500 ms');
  });

  it('gives up on a server that never greets within the greeting timeout', async () => {
    const sink = await startSink({ hangOnConnect: true });
    const connector = await load(configFor(sink, { greetingTimeout: 400 }));

    const started = Date.now();
    const error = await failureOf(connector.sendMessage(message()));

    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(2000);
    expect(error.code).toBe('general');
    expect(messageOf(error)).toContain(`${sink.host}:${sink.port}`);
    expect(messageOf(error)).toContain('greeting timeout 400 ms');
    expect(messageOf(error)).toMatch(/no SMTP greeting/);
  });

  it('explains "secure" against a STARTTLS port (OpenSSL: wrong version number)', async () => {
    const sink = await startSink({ tls: 'starttls', auth: credentials });
    const connector = await load(configFor(sink, { secure: true }));

    const error = await failureOf(connector.sendMessage(message()));

    expect(error.code).toBe('invalid_config');
    expect(messageOf(error)).toMatch(/wrong version number/);
    expect(messageOf(error)).toMatch(/set "secure": false/);
  });

  it('explains an untrusted server certificate as invalid_config', async () => {
    const sink = await startSink({ tls: 'implicit', auth: credentials });
    const connector = await load(configFor(sink, { secure: true, tls: {} }));

    const error = await failureOf(connector.sendMessage(message()));

    expect(error.code).toBe('invalid_config');
    expect(messageOf(error)).toMatch(/certificate/);
    expect(messageOf(error)).toMatch(/"ca"/);
    expect(sink.messages).toHaveLength(0);
  });
});

describe('connection pool', () => {
  it('reuses one connection for messages sent one after another', async () => {
    const sink = await startSink({ auth: credentials });
    const connector = await load(configFor(sink));

    for (const code of ['111111', '222222', '333333']) {
      await connector.sendMessage(message({ payload: { code } }));
    }

    expect(sink.messages).toHaveLength(3);
    expect(sink.connections.total).toBe(1);
  });

  it('sends a burst of 400 concurrent messages over at most 5 connections', async () => {
    const sink = await startSink({ tls: 'starttls', auth: credentials });
    const connector = await load(configFor(sink));

    const results = await Promise.allSettled(
      Array.from({ length: 400 }, (_, index) =>
        connector.sendMessage(
          message({ to: `person${index}@example.org`, payload: { code: String(index) } }),
        ),
      ),
    );

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(sink.messages).toHaveLength(400);
    expect(new Set(sink.messages.flatMap((received) => received.envelope.to)).size).toBe(400);
    expect(sink.connections.peak).toBeLessThanOrEqual(5);
    expect(sink.connections.peak).toBeGreaterThan(1);
  }, 30_000);

  it('delivers with a stored config that still has the retired pool.noDelay, reusing the connection', async () => {
    const sink = await startSink({ tls: 'starttls', auth: credentials });
    const connector = await load(configFor(sink, { pool: { noDelay: false } }));

    await connector.sendMessage(message());
    await connector.sendMessage(message({ type: TemplateType.SignIn }));

    expect(sink.messages.map((received) => received.secure)).toEqual([true, true]);
    expect(sink.connections.total).toBe(1);
  });

  it('honours a smaller pool.maxConnections', async () => {
    const sink = await startSink({ auth: credentials });
    const connector = await load(configFor(sink, { pool: { maxConnections: 2 } }));

    await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        connector.sendMessage(message({ to: `p${index}@example.org` })),
      ),
    );

    expect(sink.messages).toHaveLength(30);
    expect(sink.connections.peak).toBeLessThanOrEqual(2);
  });

  it('opens a new pool when the config changes and closes the old one', async () => {
    const sink = await startSink({ auth: credentials });
    const first = configFor(sink);
    const changed = configFor(sink, { greetingTimeout: 3000 });

    await (await load(first)).sendMessage(message());
    expect(sink.connections).toMatchObject({ total: 1, current: 1 });

    await (await load(changed)).sendMessage(message());
    expect(sink.connections.total).toBe(2);
    // The old pool says QUIT: only the new pool's connection stays open.
    await waitUntil(() => sink.connections.current === 1);
    expect(openPoolCount()).toBe(1);

    // The same config again reuses the new pool.
    await (await load(changed)).sendMessage(message());
    expect(sink.connections.total).toBe(2);
    expect(sink.messages).toHaveLength(3);
  });

  it('lets messages in flight on the old pool finish when the config changes', async () => {
    const sink = await startSink({ auth: credentials });
    const before = await load(configFor(sink));
    const after = await load(configFor(sink, { socketTimeout: 25_000 }));

    const inFlight = Array.from({ length: 20 }, (_, index) =>
      before.sendMessage(message({ to: `old${index}@example.org` })),
    );
    await after.sendMessage(message({ to: 'new@example.org' }));

    await expect(Promise.all(inFlight)).resolves.toHaveLength(20);
    expect(sink.messages).toHaveLength(21);
  });
});
