import { createSendTestKit, smsTestMessage, useProviderMock } from '@idplug/testing';
import type { SmsConnector } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { endpoints } from './constants';
import create__Name__Connector from './index';

const config = {
  apiKey: 'sms-api-key-value-1234',
  sender: 'Example',
  templates: [
    { usageType: 'Generic', content: 'Your code is {{code}}' },
    { usageType: 'SignIn', content: 'Sign-in code: {{code}}' },
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
    return HttpResponse.json({ id: 'message-1' });
  }),
);

// Loading the connector as Logto does, and checking that a failure is a ConnectorError that
// shows no secret, come from @idplug/testing's send test kit.
const {
  load,
  failure: errorOf,
  ...kit
} = createSendTestKit<SmsConnector>({
  create: create__Name__Connector,
  config,
  message: smsTestMessage,
  secrets: [config.apiKey],
});

const send = (to: string, type = 'SignIn', payload: Record<string, unknown> = {}) =>
  kit.send(config, { to, type, payload });

describe('__displayName__ SMS', () => {
  it('sends the template for the usage type to the number, with the API key', async () => {
    sent.length = 0;
    await send('+1 555 0100', 'SignIn', { code: '123456' });
    expect(sent).toEqual([
      {
        from: 'Example',
        to: '+15550100',
        text: 'Sign-in code: 123456',
        authorization: `Bearer ${config.apiKey}`,
      },
    ]);
  });

  it('falls back to the Generic template', async () => {
    sent.length = 0;
    await send('15550100', 'Register', { code: '42' });
    expect(sent[0]).toMatchObject({ text: 'Your code is 42' });
  });

  it('refuses two numbers or a line break, sending nothing', async () => {
    for (const to of ['15550100,15550101', '15550100\n15550101']) {
      expect((await errorOf(send(to))).code).toBe('invalid_request_parameters');
    }
    expect(mock.requests).toHaveLength(0);
  });
});

describe('__displayName__ SMS error paths', () => {
  it('reports a refused API key as invalid_config', async () => {
    mock.use(http.post(endpoints.sendEndpoint, () => new HttpResponse(null, { status: 403 })));
    expect((await errorOf(send('15550100'))).code).toBe('invalid_config');
  });

  it('reports throttling as rate_limit_exceeded', async () => {
    mock.use(http.post(endpoints.sendEndpoint, () => new HttpResponse(null, { status: 429 })));
    expect((await errorOf(send('15550100'))).code).toBe('rate_limit_exceeded');
  });

  it('refuses templates without a Generic one (every usage type falls back to it) as invalid_config', async () => {
    const connector = await load({ ...config, templates: [config.templates[1]] });
    const error = await errorOf(
      connector.sendMessage({ to: '15550100', type: 'Register', payload: {} } as never),
    );
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error.data)).toContain('Generic');
  });

  it('reports a missing config value as invalid_config naming the key', async () => {
    const connector = await load({ sender: 'Example', templates: config.templates });
    const error = await errorOf(
      connector.sendMessage({ to: '15550100', type: 'SignIn', payload: {} } as never),
    );
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error.data)).toContain('apiKey');
  });
});
