import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configNear, expectOnlySafeConnectorErrors, fuzzTokens, providerAnswer } from './fuzz';
import { runParameters } from './fuzz-invariant';
import { useFuzzedProvider } from './fuzz-provider';

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

  it('echo every secret a property checks for, and issue the tokens a flow then meets', () => {
    const echo = [secret, fuzzTokens.accessToken, 'the-stored-refresh-token'];
    const samples = fc.sample(providerAnswer(echo), { numRuns: 500, seed: 2 });
    // All at once in one error body, as a provider repeating its request would.
    expect(
      samples.some(
        ({ status, body }) => status >= 400 && echo.every((value) => body.includes(value)),
      ),
    ).toBe(true);
    const issuing = samples.filter(
      ({ status, contentType, body }) =>
        status === 200 &&
        contentType === 'application/json' &&
        body.includes(`"access_token":"${fuzzTokens.accessToken}"`) &&
        /"token_type":"[Bb]earer"/.test(body) &&
        /"expires_in":3600/.test(body),
    );
    expect(issuing.length).toBeGreaterThan(50);
  });
});

describe('the run parameters', () => {
  it('fail a property interrupted by its time limit instead of passing it on few runs', async () => {
    await expect(
      fc.assert(
        fc.asyncProperty(fc.nat(), async () => {
          await new Promise<void>((resolve) => setImmediate(resolve));
        }),
        // A million runs cannot end within 20 ms: the property is always interrupted.
        { ...runParameters({ numRuns: 1_000_000 }), interruptAfterTimeLimit: 20 },
      ),
    ).rejects.toThrow(/interrupted/i);
  });
});

describe('the fuzzed provider', () => {
  const url = 'https://fuzz-harness.example.com/userinfo';
  const provider = useFuzzedProvider([url]);
  const answered = { status: 200, contentType: 'application/json', body: '{}', headers: {} };

  it('counts the requests of a test and notes the issued tokens a request carries', async () => {
    provider.answer({ [url]: answered });
    await fetch(url, { headers: { authorization: `Bearer ${fuzzTokens.accessToken}` } });
    await fetch(url, { method: 'POST', body: new URLSearchParams({ x: 'y' }) });
    expect(provider.hits).toBe(2);
    expect(provider.tokensMet).toEqual([fuzzTokens.accessToken]);
    // A new run starts with no token met.
    provider.answer({ [url]: answered });
    expect(provider.tokensMet).toEqual([]);
    await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ refresh_token: fuzzTokens.refreshToken }),
    });
    expect(provider.tokensMet).toEqual([fuzzTokens.refreshToken]);
  });

  it('starts every test at zero requests, whatever the tests before it sent', () => {
    expect(provider.hits).toBe(0);
  });
});
