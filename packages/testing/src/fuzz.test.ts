import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configNear, expectOnlySafeConnectorErrors, providerAnswer } from './fuzz';

const secret = 'the-secret-value';

describe('expectOnlySafeConnectorErrors', () => {
  it('accepts success and a secret-free ConnectorError', async () => {
    await expect(expectOnlySafeConnectorErrors(async () => 'ok', [secret])).resolves.toBe(
      undefined,
    );
    const error = await expectOnlySafeConnectorErrors(async () => {
      throw new ConnectorError(ConnectorErrorCodes.General, { message: 'the provider failed' });
    }, [secret]);
    expect(error?.code).toBe('general');
  });

  it('fails when anything but a ConnectorError escapes', async () => {
    await expect(
      expectOnlySafeConnectorErrors(async () => {
        throw new TypeError('x is undefined');
      }, [secret]),
    ).rejects.toThrow(/non-ConnectorError escaped/);
  });

  it('fails when a secret is in the message or the data', async () => {
    await expect(
      expectOnlySafeConnectorErrors(async () => {
        throw new ConnectorError(ConnectorErrorCodes.General, { message: `bad ${secret}` });
      }, [secret]),
    ).rejects.toThrow(/carries the secret/);
    await expect(
      expectOnlySafeConnectorErrors(async () => {
        throw new ConnectorError(ConnectorErrorCodes.General, {
          message: 'bad',
          body: { echoed: secret },
        });
      }, [secret]),
    ).rejects.toThrow(/carries the secret/);
  });
});

describe('the arbitraries', () => {
  it('keep, drop or replace the keys of a valid config, never the fixed ones', () => {
    const seen = { kept: false, changed: false };
    fc.assert(
      fc.property(configNear({ host: '127.0.0.1', pass: secret }, ['host']), (config) => {
        expect(config.host).toBe('127.0.0.1');
        if (config.pass === secret) {
          seen.kept = true;
        } else {
          seen.changed = true;
        }
      }),
      { numRuns: 200 },
    );
    expect(seen).toEqual({ kept: true, changed: true });
  });

  it('answer with statuses and bodies a provider may send, echoed secrets included', () => {
    const samples = fc.sample(providerAnswer([secret]), { numRuns: 500, seed: 1 });
    expect(samples.some(({ status }) => status === 200)).toBe(true);
    expect(samples.some(({ status }) => status >= 500)).toBe(true);
    expect(samples.some(({ body }) => body.includes(secret))).toBe(true);
    expect(samples.some(({ contentType }) => contentType === undefined)).toBe(true);
  });
});
