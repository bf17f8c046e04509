import { createMailgunBackend, mailgunHandlers, startMailgunEmulator } from '@idplug/emulators';
import { createSendTestKit, errorMessageOf, useProviderMock } from '@idplug/testing';
import { ConnectorErrorCodes, type EmailConnector, TemplateType } from '@logto/connector-kit';
import { HttpResponse, http, passthrough } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MailgunConfig } from './config';
import createMailgunConnector from './index';

const apiKey = 'mailgun-emulator-key-0123456789';
const domain = 'mg.example.com';
const backend = createMailgunBackend({ apiKeys: [apiKey], domains: [domain] });
const mock = useProviderMock(...mailgunHandlers(backend));
afterEach(() => backend.reset());

// The official connector's config shape: deliveries keyed by usage type.
const config: MailgunConfig = {
  domain,
  apiKey,
  from: 'Example <no-reply@mg.example.com>',
  deliveries: {
    SignIn: {
      subject: 'Sign in: {{code}}',
      html: '<p>Your code is <b>{{code}}</b></p>',
      text: 'Code {{code}}',
      replyTo: 'help@example.com',
    },
    Register: { template: 'logto-register', variables: { product: 'Example', code: 'x' } },
    Generic: { subject: 'Your code', html: '<p>Code: {{code}}</p>' },
  },
};

const { load, send, failure } = createSendTestKit({
  create: createMailgunConnector,
  config: config,
  message: { to: 'ada@example.com', type: TemplateType.SignIn, payload: { code: '123456' } },
  secrets: [apiKey],
});

describe('sending through Mailgun', () => {
  it('posts a form with Basic api:key, the HTML, its own text template and Reply-To', async () => {
    expect(await send()).toBe('<mailgun-1@mailgun.emulator>');
    expect(mock.requests[0]?.url).toBe('https://api.mailgun.net/v3/mg.example.com/messages');
    expect(backend.messages[0]).toMatchObject({
      from: 'Example <no-reply@mg.example.com>',
      to: ['ada@example.com'],
      subject: 'Sign in: 123456',
      html: '<p>Your code is <b>123456</b></p>',
      text: 'Code 123456',
      replyTo: 'help@example.com',
    });
    expect(backend.messages[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`,
    );
  });

  it('derives the text part from the HTML when the delivery has none, escaping values in HTML', async () => {
    await send(config, { type: TemplateType.ForgotPassword, payload: { code: '<7>' } });
    expect(backend.messages[0]).toMatchObject({
      subject: 'Your code',
      html: '<p>Code: &lt;7&gt;</p>',
      text: 'Code: <7>',
    });
  });

  it('sends a Mailgun template with its variables overlaid by the payload', async () => {
    await send(config, { type: TemplateType.Register, payload: { code: '42', locale: 'en' } });
    expect(backend.messages[0]?.template).toEqual({
      name: 'logto-register',
      model: { product: 'Example', code: '42', locale: 'en' },
    });
    expect(backend.messages[0]?.subject).toBeUndefined();
    expect(backend.messages[0]?.html).toBeUndefined();
  });

  it('sends through the EU region, and through an explicit endpoint', async () => {
    await send({ ...config, region: 'eu' });
    await send({ ...config, endpoint: 'https://api.eu.mailgun.net' });
    expect(mock.requests.map(({ host }) => host)).toEqual([
      'api.eu.mailgun.net',
      'api.eu.mailgun.net',
    ]);
  });

  it("prefers Logto's localized template with its sender name", async () => {
    const connector = await load(config, async () => ({
      subject: 'Code {{code}}',
      content: 'Plain {{code}}',
      contentType: 'text/plain',
      sendFrom: 'Exemple',
    }));
    await connector.sendMessage({
      to: 'ada@example.com',
      type: TemplateType.Register,
      payload: { code: '5' },
    });
    expect(backend.messages[0]).toMatchObject({
      from: '"Exemple" <no-reply@mg.example.com>',
      subject: 'Code 5',
      text: 'Plain 5',
    });
    expect(backend.messages[0]?.html).toBeUndefined();
    expect(backend.messages[0]?.template).toBeUndefined();
  });

  it('uses the unsaved config of "send test" instead of the stored one', async () => {
    const getConfig = vi.fn(async () => ({ ...config, apiKey: 'stale' }));
    const connector = (await createMailgunConnector({ getConfig })) as EmailConnector;
    await connector.sendMessage(
      { to: 'ada@example.com', type: TemplateType.SignIn, payload: {} },
      config,
    );
    expect(getConfig).not.toHaveBeenCalled();
    expect(backend.messages).toHaveLength(1);
  });

  it('sends through the emulator on loopback', async () => {
    const emulator = await startMailgunEmulator({ apiKeys: [apiKey], domains: [domain] });
    try {
      mock.use(http.all(`${emulator.url}/*`, () => passthrough()));
      await send(emulator.config);
      expect(emulator.messages[0]?.html).toContain('<strong>123456</strong>');
      expect(emulator.messages[0]?.text).toBe('Your verification code is 123456.');
    } finally {
      await emulator.stop();
    }
  });

  it('accepts a stored config without a Generic delivery, as the official connector does', async () => {
    const signInOnly = { ...config, deliveries: { SignIn: config.deliveries.SignIn } };
    await send(signInOnly);
    expect(mock.requests).toHaveLength(1);
    // A usage type with neither its own delivery nor Generic: that send fails, nothing is posted.
    const error = await failure(send(signInOnly, { type: TemplateType.Register }));
    expect(error.code).toBe(ConnectorErrorCodes.TemplateNotFound);
    expect(mock.requests).toHaveLength(1);
  });
});

describe("mapping Mailgun's answers", () => {
  it('reports a wrong key (401 Forbidden) as invalid_config without the key or its Basic value', async () => {
    const error = await failure(send({ ...config, apiKey: `${apiKey}-old` }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toMatchObject({ status: 401, description: 'Forbidden' });
  });

  it('reports an unknown domain (404) as invalid_config with the message', async () => {
    const error = await failure(send({ ...config, domain: 'other.example.com' }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(errorMessageOf(error)).toContain('Domain not found: other.example.com');
  });

  it("reports a 400 as general with Mailgun's message", async () => {
    backend.forceNext({ status: 400, json: { message: "'to' parameter is not a valid address" } });
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(errorMessageOf(error)).toBe(
      "Mailgun refused the message: 'to' parameter is not a valid address",
    );
  });

  it('reports 429 as rate_limit_exceeded with Retry-After', async () => {
    backend.forceNext({
      status: 429,
      json: { message: 'Too many requests' },
      headers: { 'retry-after': '3' },
    });
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    expect(error.data).toMatchObject({ retryAfter: 3 });
  });

  it('reports a 403 (domain not allowed to send) as invalid_config', async () => {
    backend.forceNext({
      status: 403,
      json: { message: 'Domain mg.example.com is not allowed to send' },
    });
    expect((await failure(send())).code).toBe(ConnectorErrorCodes.InvalidConfig);
  });

  it('redacts the key when an answer echoes the Basic header', async () => {
    mock.use(
      http.post('https://api.mailgun.net/v3/mg.example.com/messages', ({ request }) =>
        HttpResponse.json(
          { message: `bad ${request.headers.get('authorization')}` },
          { status: 400 },
        ),
      ),
    );
    expect(errorMessageOf(await failure(send()))).toContain('[redacted]');
  });
});
