import { createSendGridBackend, sendGridHandlers, startSendGridEmulator } from '@idplug/emulators';
import { createSendTestKit, errorMessageOf, useProviderMock } from '@idplug/testing';
import { ConnectorErrorCodes, type EmailConnector, TemplateType } from '@logto/connector-kit';
import { HttpResponse, http, passthrough } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SendGridConfig } from './config';
import createSendGridConnector from './index';

const apiKey = 'SG.emulator-api-key-0123456789';
const sender = 'no-reply@example.com';
const backend = createSendGridBackend({ apiKeys: [apiKey], senders: [sender] });
const mock = useProviderMock(...sendGridHandlers(backend));
afterEach(() => backend.reset());

// The official connector's config shape: `type` names the content type.
const config: SendGridConfig = {
  apiKey,
  fromEmail: sender,
  fromName: 'Example',
  templates: [
    { usageType: 'SignIn', type: 'text/plain', subject: 'Sign in', content: 'Code: {{code}}' },
    {
      usageType: 'Generic',
      type: 'text/html',
      subject: 'Your code',
      content: '<p>Your code is <b>{{code}}</b></p>',
    },
  ],
};

const { load, send, failure } = createSendTestKit({
  create: createSendGridConnector,
  config: config,
  message: { to: 'ada@example.com', type: TemplateType.SignIn, payload: { code: '123456' } },
  secrets: [apiKey],
});

describe('sending through Mail Send v3', () => {
  it('sends a text template as text/plain with the Bearer key', async () => {
    expect(await send()).toBe('sendgrid-1');
    expect(backend.messages[0]).toMatchObject({
      from: sender,
      to: ['ada@example.com'],
      subject: 'Sign in',
      text: 'Code: 123456',
    });
    expect(backend.messages[0]?.html).toBeUndefined();
    expect(backend.messages[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(backend.messages[0]?.body).toMatchObject({ from: { email: sender, name: 'Example' } });
  });

  it('sends an HTML template with a text/plain part first and escaped values', async () => {
    await send(config, { type: TemplateType.Register, payload: { code: '<i>1</i>' } });
    const { body } = backend.messages[0] ?? {};
    expect(body).toMatchObject({
      content: [
        { type: 'text/plain', value: 'Your code is <i>1</i>' },
        { type: 'text/html', value: '<p>Your code is <b>&lt;i&gt;1&lt;/i&gt;</b></p>' },
      ],
    });
  });

  it("prefers Logto's localized template, its sender name and reply-to", async () => {
    const connector = await load(config, async (type, locale) =>
      type === 'SignIn' && locale === 'de'
        ? {
            subject: 'Anmeldung {{code}}',
            content: '<p>Code {{code}}</p>',
            contentType: 'text/html',
            sendFrom: 'Beispiel',
            replyTo: 'hilfe@example.com',
          }
        : undefined,
    );
    await connector.sendMessage({
      to: 'ada@example.com',
      type: TemplateType.SignIn,
      payload: { code: '9', locale: 'de' },
    });
    expect(backend.messages[0]).toMatchObject({
      subject: 'Anmeldung 9',
      text: 'Code 9',
      html: '<p>Code 9</p>',
      replyTo: 'hilfe@example.com',
    });
    expect(backend.messages[0]?.body).toMatchObject({ from: { name: 'Beispiel' } });
  });

  it('sends through the EU data residency host when region is eu', async () => {
    await send({ ...config, region: 'eu' });
    expect(mock.requests[0]?.host).toBe('api.eu.sendgrid.com');
    expect(backend.messages).toHaveLength(1);
  });

  it('uses the unsaved config of "send test" instead of the stored one', async () => {
    const getConfig = vi.fn(async () => ({ ...config, apiKey: 'SG.stale' }));
    const connector = (await createSendGridConnector({ getConfig })) as EmailConnector;
    await connector.sendMessage(
      { to: 'ada@example.com', type: TemplateType.SignIn, payload: { code: '1' } },
      config,
    );
    expect(getConfig).not.toHaveBeenCalled();
    expect(backend.messages).toHaveLength(1);
  });

  it('sends through the emulator on loopback as the endpoint override', async () => {
    const emulator = await startSendGridEmulator({ apiKeys: [apiKey], senders: [sender] });
    try {
      mock.use(http.all(`${emulator.url}/*`, () => passthrough()));
      await send({ ...config, endpoint: `${emulator.url}/` });
      expect(emulator.messages).toHaveLength(1);
      expect(backend.messages).toHaveLength(0);
    } finally {
      await emulator.stop();
    }
  });

  it('refuses a list of recipients before anything is sent', async () => {
    const error = await failure(send(config, { to: 'a@example.com, b@example.com' }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(mock.requests).toHaveLength(0);
  });
});

describe("mapping SendGrid's answers", () => {
  it("reports a wrong key (401) as invalid_config with SendGrid's message, without the key", async () => {
    const error = await failure(send({ ...config, apiKey: `${apiKey}-revoked` }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(errorMessageOf(error)).toContain('The provided authorization grant is invalid');
    expect(error.data).toMatchObject({ provider: 'SendGrid', status: 401 });
    expect(JSON.stringify(error.data)).not.toContain(`${apiKey}-revoked`);
  });

  it('reports an unverified sender (403) as invalid_config naming the field', async () => {
    const error = await failure(send({ ...config, fromEmail: 'other@example.com' }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(errorMessageOf(error)).toContain(
      'from: The from address does not match a verified Sender Identity',
    );
  });

  it('reports 429 as rate_limit_exceeded with the seconds until X-RateLimit-Reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 42;
    backend.forceNext({
      status: 429,
      json: { errors: [{ message: 'too many requests', field: null, help: null }] },
      headers: { 'x-ratelimit-reset': String(reset) },
    });
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    const { retryAfter } = error.data as { retryAfter: number };
    expect(retryAfter).toBeGreaterThanOrEqual(40);
    expect(retryAfter).toBeLessThanOrEqual(42);
  });

  it('reads every entry of errors[] into the message of a 400', async () => {
    backend.forceNext({
      status: 400,
      json: {
        errors: [
          {
            message: 'Does not contain a valid address.',
            field: 'personalizations.0.to.0.email',
            help: null,
          },
          { message: 'The subject is required.', field: 'subject', help: null },
        ],
      },
    });
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(errorMessageOf(error)).toBe(
      'SendGrid answered HTTP 400: personalizations.0.to.0.email: Does not contain a valid address.; subject: The subject is required.',
    );
  });

  it('reports a 5xx without a JSON body as general with an excerpt', async () => {
    backend.forceNext({ status: 503, text: 'upstream unavailable' });
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(errorMessageOf(error)).toContain('upstream unavailable');
    expect(backend.requests).toHaveLength(1);
  });

  it('redacts the key when an answer echoes it', async () => {
    mock.use(
      http.post('https://api.sendgrid.com/v3/mail/send', ({ request }) =>
        HttpResponse.json(
          { errors: [{ message: `bad ${request.headers.get('authorization')}` }] },
          { status: 400 },
        ),
      ),
    );
    const error = await failure(send());
    expect(errorMessageOf(error)).toContain('[redacted]');
  });

  it('reports a missing template as template_not_found and an empty from as invalid_config', async () => {
    expect((await failure(send({ ...config, templates: [] }))).code).toBe(
      ConnectorErrorCodes.InvalidConfig,
    );
    expect((await failure(send({ ...config, region: 'us' }))).code).toBe(
      ConnectorErrorCodes.InvalidConfig,
    );
  });
});
