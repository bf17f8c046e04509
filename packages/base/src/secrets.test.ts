import { ConnectorError } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { collectSecrets, SecretRedactor } from './secrets';

describe('SecretRedactor', () => {
  it('collects secrets by key name, at any depth, but not endpoints that mention tokens', () => {
    const secrets = collectSecrets({
      clientId: 'public-id',
      clientSecret: 'the-client-secret',
      tokenEndpoint: 'https://provider.example/token',
      tokenEndpointAuthMethod: 'client_secret_post',
      auth: { user: 'mailer', pass: 'smtp-password' },
      accessKeySecret: 'aliyun-secret',
      clientPrivateKey: { kty: 'RSA', alg: 'RS256', d: 'a-long-private-exponent-value' },
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        'the-client-secret',
        'smtp-password',
        'aliyun-secret',
        'a-long-private-exponent-value',
      ]),
    );
    expect(secrets).not.toContain('https://provider.example/token');
    expect(secrets).not.toContain('public-id');
    expect(secrets).not.toContain('RS256');
  });

  it('redacts secrets in text, in nested data, and as they appear form-encoded or base64-encoded', () => {
    const redactor = new SecretRedactor(['p@ss word!']);
    expect(redactor.redactText('password is p@ss word! ok')).toBe('password is [redacted] ok');
    expect(redactor.redactText(`form: pass=${encodeURIComponent('p@ss word!')}`)).not.toContain(
      'p%40ss',
    );
    expect(redactor.redactText(Buffer.from('p@ss word!').toString('base64'))).toBe('[redacted]');
    expect(redactor.redact({ nested: ['p@ss word!'], accessToken: 'anything' })).toEqual({
      nested: ['[redacted]'],
      accessToken: '[redacted]',
    });
  });

  it('redacts tokens inside raw bodies it has never seen', () => {
    const redactor = new SecretRedactor();
    expect(redactor.redactText('{"access_token": "abc.def", "x": 1}')).toBe(
      '{"access_token": "[redacted]", "x": 1}',
    );
    expect(redactor.redactText('access_token=abc&scope=x')).toBe('access_token=[redacted]&scope=x');
  });

  it('turns any thrown value into a ConnectorError without secrets', async () => {
    const redactor = new SecretRedactor(['super-secret-value']);
    const plain = await redactor
      .guard(async () => {
        throw new TypeError('boom with super-secret-value');
      })
      .catch((error: unknown) => error);
    expect(plain).toBeInstanceOf(ConnectorError);
    expect((plain as ConnectorError).code).toBe('general');
    expect((plain as ConnectorError).message).not.toContain('super-secret-value');

    const typed = await redactor
      .guard(async () => {
        throw new ConnectorError('invalid_config' as never, { message: 'bad super-secret-value' });
      })
      .catch((error: unknown) => error);
    expect((typed as ConnectorError).code).toBe('invalid_config');
    expect(JSON.stringify((typed as ConnectorError).data)).toBe('{"message":"bad [redacted]"}');
    expect((typed as ConnectorError).message).not.toContain('super-secret-value');
  });

  it('ignores blank and very short values', () => {
    const redactor = new SecretRedactor(['', 'ab']);
    expect(redactor.redactText('ab cd')).toBe('ab cd');
  });
});
