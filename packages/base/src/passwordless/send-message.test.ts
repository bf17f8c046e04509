import { ConnectorError, ConnectorErrorCodes, type ConnectorMetadata } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chooseConfigTemplate, createSendMessage, readSendMessageData } from './send-message';

const configGuard = z.object({ apiKey: z.string().min(1) });
const stored = { apiKey: 'stored-api-key-secret-value' };
const definition = { metadata: { id: 'test' } as ConnectorMetadata, configGuard };

const errorOf = async (promise: Promise<unknown>) => {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
};

describe('passwordless sendMessage', () => {
  it('uses the unsaved config the console passes instead of the stored one', async () => {
    const seen: unknown[] = [];
    const sendMessage = createSendMessage(
      definition,
      async () => stored,
      async (config, data) => seen.push(config.apiKey, data.payload),
    );
    await sendMessage({ to: 'a', type: 'SignIn' });
    await sendMessage({ to: 'a', type: 'SignIn', payload: { code: '1' } }, { apiKey: 'other' });
    expect(seen).toEqual(['stored-api-key-secret-value', {}, 'other', { code: '1' }]);
  });

  it('redacts the config secrets from whatever the delivery throws', async () => {
    const sendMessage = createSendMessage(
      definition,
      async () => stored,
      async (config) => {
        throw new Error(`provider refused ${config.apiKey}`);
      },
    );
    const error = await errorOf(sendMessage({ to: 'a', type: 'SignIn' }));
    expect(JSON.stringify(error)).not.toContain(stored.apiKey);
    expect(String(error.message)).not.toContain(stored.apiKey);
  });

  it('refuses data without a usage type before sending anything', async () => {
    let sent = false;
    const sendMessage = createSendMessage(
      definition,
      async () => stored,
      async () => {
        sent = true;
      },
    );
    const error = await errorOf(sendMessage({ to: 'a' }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(sent).toBe(false);
    expect(() => readSendMessageData([])).toThrow(ConnectorError);
  });

  it('picks the template of the usage type, then Generic, else names the channel', () => {
    const templates = [
      { usageType: 'SignIn', content: 'sign in' },
      { usageType: 'Generic', content: 'generic' },
    ];
    expect(chooseConfigTemplate('SignIn', templates, 'SMS')).toEqual({
      usageType: 'SignIn',
      content: 'sign in',
      source: 'config',
    });
    expect(chooseConfigTemplate('Register', templates, 'SMS').source).toBe('generic');
    expect(() => chooseConfigTemplate('Register', [], 'email')).toThrow(/No email template/);
  });
});
