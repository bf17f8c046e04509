import { usageLimitExceededCode } from '@idplug/base';
import { createPostmarkBackend, postmarkHandlers, startPostmarkEmulator } from '@idplug/emulators';
import { createSendTestKit, errorMessageOf, useProviderMock } from '@idplug/testing';
import { ConnectorErrorCodes, type EmailConnector, TemplateType } from '@logto/connector-kit';
import { HttpResponse, http, passthrough } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PostmarkConfig } from './config';
import createPostmarkConnector from './index';

const serverToken = 'postmark-server-token-0123456789';
const sender = 'no-reply@example.com';
const backend = createPostmarkBackend({
  serverTokens: [serverToken],
  senders: [sender],
  templateAliases: ['logto-signin', 'logto-generic'],
  inactiveRecipients: ['bounced@example.com'],
  messageStreams: ['outbound', 'logto-codes'],
});
const mock = useProviderMock(...postmarkHandlers(backend));
afterEach(() => backend.reset());

// The official connector's config: Postmark-side templates by alias.
const officialConfig: PostmarkConfig = {
  serverToken,
  fromEmail: sender,
  templates: [
    { usageType: 'SignIn', templateAlias: 'logto-signin' },
    { usageType: 'Generic', templateAlias: 'logto-generic' },
  ],
};

const renderedConfig: PostmarkConfig = {
  serverToken,
  fromEmail: sender,
  templates: [
    { usageType: 'SignIn', subject: 'Sign in', content: 'Code: {{code}}' },
    {
      usageType: 'Generic',
      subject: 'Your code',
      content: '<p>Your code is <b>{{code}}</b></p>',
      contentType: 'text/html',
      replyTo: 'help@example.com',
    },
  ],
};

const { load, send, failure } = createSendTestKit({
  create: createPostmarkConnector,
  config: officialConfig,
  message: { to: 'ada@example.com', type: TemplateType.SignIn, payload: { code: '123456' } },
  secrets: [serverToken],
});

describe('sending through Postmark', () => {
  it("fills the official config's Postmark template with the payload (/email/withTemplate)", async () => {
    expect(await send()).toBe('postmark-1');
    expect(mock.requests[0]?.pathname).toBe('/email/withTemplate');
    expect(backend.messages[0]).toMatchObject({
      from: sender,
      to: ['ada@example.com'],
      template: { name: 'logto-signin', model: { code: '123456' } },
    });
    expect(backend.messages[0]?.headers['x-postmark-server-token']).toBe(serverToken);
    expect(backend.messages[0]?.body).toMatchObject({ MessageStream: 'outbound' });
  });

  it('falls back to the Generic Postmark template for another usage type', async () => {
    await send(officialConfig, { type: TemplateType.Register });
    expect(backend.messages[0]?.template?.name).toBe('logto-generic');
  });

  it('renders a config template here and sends TextBody only for plain text (/email)', async () => {
    await send(renderedConfig);
    expect(mock.requests[0]?.pathname).toBe('/email');
    expect(backend.messages[0]).toMatchObject({ subject: 'Sign in', text: 'Code: 123456' });
    expect(backend.messages[0]?.html).toBeUndefined();
  });

  it('sends an HTML template with HtmlBody (escaped values), TextBody and ReplyTo', async () => {
    await send(renderedConfig, { type: TemplateType.Register, payload: { code: '<1>' } });
    expect(backend.messages[0]).toMatchObject({
      html: '<p>Your code is <b>&lt;1&gt;</b></p>',
      text: 'Your code is <1>',
      replyTo: 'help@example.com',
    });
  });

  it("prefers Logto's localized template (rendered here) over a Postmark alias", async () => {
    const connector = await load(officialConfig, async (type) =>
      type === 'SignIn'
        ? {
            subject: 'Connexion',
            content: 'Code {{code}}',
            contentType: 'text/plain',
            sendFrom: 'Exemple',
          }
        : undefined,
    );
    await connector.sendMessage({
      to: 'ada@example.com',
      type: TemplateType.SignIn,
      payload: { code: '4' },
    });
    expect(mock.requests[0]?.pathname).toBe('/email');
    expect(backend.messages[0]).toMatchObject({
      from: `"Exemple" <${sender}>`,
      subject: 'Connexion',
      text: 'Code 4',
    });
  });

  it('sends through the configured message stream', async () => {
    await send({ ...officialConfig, messageStream: 'logto-codes' });
    expect(backend.messages[0]?.body).toMatchObject({ MessageStream: 'logto-codes' });
  });

  it('uses the unsaved config of "send test" instead of the stored one', async () => {
    const getConfig = vi.fn(async () => ({ ...officialConfig, serverToken: 'stale' }));
    const connector = (await createPostmarkConnector({ getConfig })) as EmailConnector;
    await connector.sendMessage(
      { to: 'ada@example.com', type: TemplateType.SignIn, payload: {} },
      officialConfig,
    );
    expect(getConfig).not.toHaveBeenCalled();
    expect(backend.messages).toHaveLength(1);
  });

  it('sends through the emulator on loopback as the endpoint override', async () => {
    const emulator = await startPostmarkEmulator({ serverTokens: [serverToken] });
    try {
      mock.use(http.all(`${emulator.url}/*`, () => passthrough()));
      await send({ ...emulator.config, endpoint: emulator.url });
      expect(emulator.messages).toHaveLength(1);
      expect(emulator.messages[0]?.html).toContain('<strong>123456</strong>');
    } finally {
      await emulator.stop();
    }
  });

  it('refuses a template with neither templateAlias nor subject and content', async () => {
    const error = await failure(
      send({ ...officialConfig, templates: [{ usageType: 'Generic', subject: 'x' }] }),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(mock.requests).toHaveLength(0);
  });
});

describe("mapping Postmark's ErrorCode", () => {
  it('maps ErrorCode 10 (bad token) to invalid_config without the token', async () => {
    const error = await failure(send({ ...officialConfig, serverToken: `${serverToken}-old` }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toMatchObject({ providerCode: '10', status: 401 });
    expect(errorMessageOf(error)).toContain('Check serverToken');
  });

  it('maps ErrorCode 300 (invalid email request) to invalid_request_parameters', async () => {
    backend.forceNext({ status: 422, json: { ErrorCode: 300, Message: 'Invalid email request' } });
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(error.data).toMatchObject({ providerCode: '300' });
  });

  it("maps ErrorCode 406 (inactive recipient) to general with Postmark's reason", async () => {
    const error = await failure(send(officialConfig, { to: 'bounced@example.com' }));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(errorMessageOf(error)).toContain('marked as inactive');
    expect(errorMessageOf(error)).toContain('hard bounce, a spam complaint');
    expect(error.data).toMatchObject({ providerCode: '406', status: 422 });
  });

  it('maps ErrorCode 429 to rate_limit_exceeded', async () => {
    backend.forceNext({
      status: 429,
      json: { ErrorCode: 429, Message: 'Rate limit exceeded' },
      headers: { 'retry-after': '5' },
    });
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    expect(error.data).toMatchObject({ retryAfter: 5 });
  });

  it('maps an unconfirmed sender (ErrorCode 400) to invalid_config', async () => {
    const error = await failure(send({ ...officialConfig, fromEmail: 'other@example.com' }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toMatchObject({ providerCode: '400' });
  });

  it('maps an unknown template alias (ErrorCode 1101) to invalid_config', async () => {
    const error = await failure(
      send({ ...officialConfig, templates: [{ usageType: 'Generic', templateAlias: 'gone' }] }),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toMatchObject({ providerCode: '1101' });
  });

  it('maps ErrorCode 405 (no credits left) to usage_limit_exceeded', async () => {
    backend.forceNext({ status: 422, json: { ErrorCode: 405, Message: 'Not allowed to send' } });
    expect((await failure(send())).code).toBe(usageLimitExceededCode());
  });

  it('reports a bare 429 and a 5xx page without ErrorCode', async () => {
    backend.forceNext({ status: 429, text: 'slow down' });
    expect((await failure(send())).code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    backend.forceNext({ status: 503, text: '<html>maintenance</html>' });
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(errorMessageOf(error)).toContain('maintenance');
  });

  it('redacts the token when an answer echoes it', async () => {
    mock.use(
      http.post('https://api.postmarkapp.com/email/withTemplate', ({ request }) =>
        HttpResponse.json(
          { ErrorCode: 300, Message: `bad ${request.headers.get('x-postmark-server-token')}` },
          { status: 422 },
        ),
      ),
    );
    expect(errorMessageOf(await failure(send()))).toContain('[redacted]');
  });
});
