import { describe, expect, it } from 'vitest';
import { collectSecrets, isSecretKey, SecretRedactor } from './secrets';

describe('API keys are secrets', () => {
  it('collects apiKey and api_key values from a config', () => {
    expect(
      collectSecrets({ apiKey: 'key-value-1', api_key: 'key-value-2', from: 'x@y.z' }),
    ).toEqual(['key-value-1', 'key-value-2']);
  });

  it('redacts a configured API key wherever it appears in an error message', () => {
    const redactor = new SecretRedactor().addConfig({ apiKey: 'sk_live_0123456789' });
    expect(redactor.redactText('gateway refused key sk_live_0123456789')).toBe(
      'gateway refused key [redacted]',
    );
  });
});

describe('secret keys are whole key names', () => {
  it.each([
    'clientSecret',
    'accessKeySecret',
    'pass',
    'password',
    'clientPrivateKey',
    'apiKey',
    'refreshToken',
    'access_token',
    'serviceAccountCredentials',
    'clientAssertion',
    'passphrase',
  ])('%s is a secret key', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'idTokenVerificationConfig',
    'tokenEndpoint',
    'tokenEndpointAuthMethod',
    'clientSecretJwtSigningAlgorithm',
    'accessKeyId',
    'clientId',
    'passwordPolicy',
  ])('%s is not', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});
