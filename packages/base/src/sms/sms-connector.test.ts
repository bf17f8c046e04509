import { ConnectorError, ConnectorType, type SmsConnector } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorError } from '../errors';
import {
  assertSinglePhoneRecipient,
  chooseSmsTemplate,
  defineSmsConnector,
  type RenderedSms,
} from './sms-connector';

const configGuard = z.object({
  apiKey: z.string().min(1),
  templates: z.array(z.object({ usageType: z.string(), content: z.string() })),
});
type Config = z.infer<typeof configGuard>;

const config: Config = {
  apiKey: 'sms-api-key-secret-value',
  templates: [
    { usageType: 'SignIn', content: 'Your sign-in code is {{code}}' },
    { usageType: 'Generic', content: 'Your code is {{code}}, {{user.name}}' },
  ],
};

const metadata = {
  id: 'test-sms',
  target: 'test-sms',
  platform: null,
  name: { en: 'Test SMS' },
  description: { en: 'Test' },
  logo: './logo.svg',
  logoDark: null,
  readme: './README.md',
  formItems: [],
};

const load = async (
  deliver: (message: RenderedSms, context: { config: Config }) => Promise<unknown>,
  stored: unknown = config,
) =>
  (await defineSmsConnector({ metadata, configGuard, deliver })({
    getConfig: async () => stored,
  })) as SmsConnector;

const errorOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    expect(JSON.stringify((error as ConnectorError).data)).not.toContain(config.apiKey);
    return error as ConnectorError;
  }
  throw new Error('expected a ConnectorError');
};

describe('defineSmsConnector', () => {
  it('is an SMS connector with the given metadata and guard', async () => {
    const connector = await load(async () => undefined);
    expect(connector.type).toBe(ConnectorType.Sms);
    expect(connector.metadata.id).toBe('test-sms');
    // The connector's guard, with the optional `network` group every connector accepts.
    const valid = { apiKey: 'k', templates: [] };
    expect(connector.configGuard.parse(valid)).toEqual(configGuard.parse(valid));
    expect(connector.configGuard.safeParse({ templates: [] }).success).toBe(false);
    expect(
      connector.configGuard.safeParse({ ...valid, network: { proxy: 'ftp://h' } }).success,
    ).toBe(false);
    // Passed through whole: Logto reads `platform: null` as "a passwordless connector".
    expect(connector.metadata).toEqual(metadata);
    expect(connector.metadata.platform).toBeNull();
  });

  it('renders the template for the usage type and delivers it to the normalized number', async () => {
    const sent: RenderedSms[] = [];
    const connector = await load(async (message) => sent.push(message));
    await connector.sendMessage({
      to: '+86 (130) 0000-0000',
      type: 'SignIn' as never,
      payload: { code: '123456' },
    });
    expect(sent).toEqual([
      { to: '+8613000000000', e164: '+8613000000000', text: 'Your sign-in code is 123456' },
    ]);
  });

  it('falls back to the Generic template, rendering nested values as plain text', async () => {
    const sent: RenderedSms[] = [];
    const connector = await load(async (message) => sent.push(message));
    await connector.sendMessage({
      to: '15550100',
      type: 'ForgotPassword' as never,
      payload: { code: '<b>1</b>', user: { name: 'Ann & Bob' } } as never,
    });
    expect(sent[0]?.text).toBe('Your code is <b>1</b>, Ann & Bob');
  });

  it('uses the unsaved config the console passes for a test message', async () => {
    const keys: string[] = [];
    const connector = await load(async (_, context) => keys.push(context.config.apiKey));
    await connector.sendMessage(
      { to: '15550100', type: 'Generic' as never, payload: {} },
      {
        ...config,
        apiKey: 'unsaved-key-value',
      },
    );
    expect(keys).toEqual(['unsaved-key-value']);
  });

  it('reports a missing template as template_not_found', async () => {
    const connector = await load(async () => undefined, { ...config, templates: [] });
    const error = await errorOf(
      connector.sendMessage({ to: '15550100', type: 'SignIn' as never, payload: {} }),
    );
    expect(error.code).toBe('template_not_found');
  });

  it('reports an invalid stored config as invalid_config naming the key', async () => {
    const connector = await load(async () => undefined, { templates: [] });
    const error = await errorOf(
      connector.sendMessage({ to: '15550100', type: 'SignIn' as never, payload: {} }),
    );
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error.data)).toContain('apiKey');
  });

  it('refuses two numbers or a line break before delivering anything', async () => {
    let deliveries = 0;
    const connector = await load(async () => {
      deliveries += 1;
    });
    // '1555\r\n0100' is a valid number once its whitespace goes: the line break alone refuses it.
    for (const to of ['15550100,15550101', '15550100\r\n15550101', '1555\r\n0100', '', 'call me']) {
      const error = await errorOf(
        connector.sendMessage({ to, type: 'SignIn' as never, payload: {} }),
      );
      expect(error.code).toBe('invalid_request_parameters');
    }
    expect(deliveries).toBe(0);
  });

  it('turns a delivery failure into a ConnectorError without the API key', async () => {
    const connector = await load(async () => {
      throw connectorError('general' as never, `gateway said: bad key ${config.apiKey}`);
    });
    const error = await errorOf(
      connector.sendMessage({ to: '15550100', type: 'SignIn' as never, payload: {} }),
    );
    expect(error.code).toBe('general');
    expect(JSON.stringify(error.data)).toContain('[redacted]');
  });
});

describe('SMS recipients and templates', () => {
  it('accepts one number with formatting and returns its digits', () => {
    expect(assertSinglePhoneRecipient(' +1 555-010.0 ')).toBe('+15550100');
  });

  it('refuses a number longer than E.164 allows', () => {
    expect(() => assertSinglePhoneRecipient('+1234567890123456')).toThrow(ConnectorError);
  });

  it('prefers the usage type template to the Generic one', () => {
    expect(chooseSmsTemplate('SignIn', config.templates)).toMatchObject({ source: 'config' });
    expect(chooseSmsTemplate('Register', config.templates)).toMatchObject({ source: 'generic' });
  });
});

describe('SMS recipients in errors', () => {
  it('masks the recipient in what a delivery failure says', async () => {
    const connector = await load(async () => {
      throw connectorError('general' as never, "The 'To' number +4512345678 is not valid", {
        description: 'to=4512345678',
      });
    });
    const error = await errorOf(
      connector.sendMessage({ to: '4512345678', type: 'SignIn' as never, payload: {} }),
    );
    const text = `${error.message} ${JSON.stringify(error.data)}`;
    expect(text).not.toContain('4512345678');
    expect(text).toContain('+******5678');
  });

  it('gives deliver the number in E.164 when Logto stored it without +', async () => {
    const sent: RenderedSms[] = [];
    const connector = await load(async (message) => sent.push(message));
    await connector.sendMessage({ to: '4512345678', type: 'SignIn' as never, payload: {} });
    expect(sent[0]).toMatchObject({ to: '4512345678', e164: '+4512345678' });
  });
});
