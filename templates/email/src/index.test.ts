import { createSendTestKit, emailTestMessage, useProviderMock } from '@idplug/testing';
import type { EmailConnector } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { endpoints } from './constants';
import create__Name__Connector from './index';

const config = {
  apiKey: 'email-api-key-value-1234',
  fromAddress: 'no-reply@example.com',
  fromName: 'Example',
  templates: [
    {
      usageType: 'Generic',
      subject: 'Your code',
      content: '<p>Your code is {{code}}</p>',
      contentType: 'text/html',
    },
    { usageType: 'SignIn', subject: 'Sign in', content: 'Sign-in code: {{code}}' },
  ],
};

type SentMessage = Record<string, unknown> & { authorization: string | null };
const sent: SentMessage[] = [];

// msw answers __displayName__'s real URL; any other request fails the test.
const mock = useProviderMock(
  http.post(endpoints.sendEndpoint, async ({ request }) => {
    sent.push({
      ...((await request.json()) as Record<string, unknown>),
      authorization: request.headers.get('authorization'),
    });
    return new HttpResponse(null, { status: 202 });
  }),
);

// Loading the connector as Logto does, and checking that a failure is a ConnectorError that
// shows no secret, come from @idplug/testing's send test kit.
const {
  load,
  failure: errorOf,
  ...kit
} = createSendTestKit<EmailConnector>({
  create: create__Name__Connector,
  config,
  message: emailTestMessage,
  secrets: [config.apiKey],
});

const send = (to: string, type = 'SignIn', payload: Record<string, unknown> = {}) =>
  kit.send(config, { to, type, payload });

describe('__displayName__ email', () => {
  it('sends the template for the usage type with the API key', async () => {
    sent.length = 0;
    await send('ada@example.com', 'SignIn', { code: '123456' });
    expect(sent).toEqual([
      {
        from: { email: 'no-reply@example.com', name: 'Example' },
        to: 'ada@example.com',
        subject: 'Sign in',
        text: 'Sign-in code: 123456',
        authorization: `Bearer ${config.apiKey}`,
      },
    ]);
  });

  it('falls back to the Generic HTML template, escaping payload values', async () => {
    sent.length = 0;
    await send('ada@example.com', 'Register', { code: '<b>1</b>' });
    expect(sent[0]).toMatchObject({
      html: '<p>Your code is &lt;b&gt;1&lt;/b&gt;</p>',
      text: 'Your code is <b>1</b>',
    });
  });

  it('prefers the template edited in Logto for the usage type and locale', async () => {
    sent.length = 0;
    const connector = await load(config, async (type, locale) =>
      type === 'SignIn' && locale === 'fr'
        ? { subject: 'Connexion', content: 'Code : {{code}}', contentType: 'text/plain' }
        : undefined,
    );
    await connector.sendMessage({
      to: 'ada@example.com',
      type: 'SignIn',
      payload: { code: '7', locale: 'fr' },
    } as never);
    expect(sent[0]).toMatchObject({ subject: 'Connexion', text: 'Code : 7' });
  });

  it('refuses two recipients or a line break, sending nothing', async () => {
    for (const to of ['a@example.com, b@example.com', 'a@example.com\r\nBcc: b@example.com']) {
      expect((await errorOf(send(to))).code).toBe('invalid_request_parameters');
    }
    expect(mock.requests).toHaveLength(0);
  });
});

describe('__displayName__ email error paths', () => {
  it('reports a refused API key as invalid_config', async () => {
    mock.use(http.post(endpoints.sendEndpoint, () => new HttpResponse(null, { status: 401 })));
    expect((await errorOf(send('ada@example.com'))).code).toBe('invalid_config');
  });

  it('reports throttling as rate_limit_exceeded', async () => {
    mock.use(
      http.post(
        endpoints.sendEndpoint,
        () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '30' } }),
      ),
    );
    const error = await errorOf(send('ada@example.com'));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ retryAfter: 30 });
  });

  it('reports another refusal as general with the status and an excerpt', async () => {
    mock.use(
      http.post(endpoints.sendEndpoint, () =>
        HttpResponse.json({ message: 'sender not verified' }, { status: 422 }),
      ),
    );
    const error = await errorOf(send('ada@example.com'));
    expect(error.code).toBe('general');
    expect(JSON.stringify(error.data)).toContain('sender not verified');
  });

  it('refuses templates without a Generic one (every usage type falls back to it) as invalid_config', async () => {
    const connector = await load({ ...config, templates: [config.templates[1]] });
    const error = await errorOf(
      connector.sendMessage({ to: 'ada@example.com', type: 'Register', payload: {} } as never),
    );
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error.data)).toContain('Generic');
  });

  it('reports a missing config value as invalid_config naming the key', async () => {
    const error = await errorOf(
      (await load({ templates: config.templates })).sendMessage({
        to: 'ada@example.com',
        type: 'SignIn',
        payload: {},
      } as never),
    );
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error.data)).toContain('apiKey');
  });
});
