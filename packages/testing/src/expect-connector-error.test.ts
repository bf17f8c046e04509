import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { expectConnectorError, findSecretLeak } from './expect-connector-error';

const secret = 'client-secret-0123456789';
const fail = (message: string) =>
  Promise.reject(new ConnectorError(ConnectorErrorCodes.General, { message, provider: 'IdP' }));

describe('expectConnectorError', () => {
  it('returns the error when the code matches and nothing leaks', async () => {
    const error = await expectConnectorError(fail('the provider said no'), {
      code: 'general',
      secrets: [secret],
    });
    expect(error.message).toContain('the provider said no');
  });

  it('finds a whole secret, a prefix of 8 characters, and a Basic header value', () => {
    expect(findSecretLeak(`got ${secret}`, [secret])).toMatch(/prefix/);
    expect(findSecretLeak(`cut at ${secret.slice(0, 8)}…`, [secret])).toMatch(/prefix/);
    expect(findSecretLeak(`cut at ${secret.slice(0, 7)}…`, [secret])).toBeUndefined();
    const basic = Buffer.from(`client:${secret}`).toString('base64');
    expect(findSecretLeak(`header Basic ${basic}`, [secret])).toMatch(/decodes/);
    expect(findSecretLeak('nothing here', [secret])).toBeUndefined();
  });

  it('fails on a leak, a wrong code, a plain Error, and a promise that resolves', async () => {
    await expect(
      expectConnectorError(fail(`echo ${secret}`), { code: 'general', secrets: [secret] }),
    ).rejects.toThrow(/secret/);
    await expect(expectConnectorError(fail('x'), { code: 'invalid_config' })).rejects.toThrow();
    await expect(
      expectConnectorError(Promise.reject(new Error('x')), { code: 'general' }),
    ).rejects.toThrow();
    await expect(expectConnectorError(Promise.resolve(1), { code: 'general' })).rejects.toThrow(
      /resolved/,
    );
  });

  it('looks into the non-enumerable cause too', async () => {
    const error = new ConnectorError(ConnectorErrorCodes.General, { message: 'x', provider: '' });
    Object.defineProperty(error, 'cause', {
      value: new Error(`socket ${secret}`),
      enumerable: false,
    });
    await expect(
      expectConnectorError(Promise.reject(error), { code: 'general', secrets: [secret] }),
    ).rejects.toThrow();
  });
});
