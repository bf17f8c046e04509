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
    expect(JSON.stringify((typed as ConnectorError).data)).toBe(
      '{"message":"bad [redacted]","provider":""}',
    );
    expect((typed as ConnectorError).message).not.toContain('super-secret-value');
  });

  it('ignores blank and very short values', () => {
    const redactor = new SecretRedactor(['', 'ab']);
    expect(redactor.redactText('ab cd')).toBe('ab cd');
  });
});

describe('SecretRedactor: what it redacts and what it leaves readable', () => {
  it('keeps configuration objects readable: issuer and JWKS URI under idTokenVerificationConfig are no secrets', () => {
    const redactor = new SecretRedactor().addConfig({
      clientSecret: 'the-client-secret',
      clientSecretJwtSigningAlgorithm: 'HS256',
      idTokenVerificationConfig: {
        issuer: 'https://op.example',
        jwksUri: 'https://op.example/jwks',
      },
    });
    expect(redactor.redactText('this connector talks to https://op.example (HS256)')).toBe(
      'this connector talks to https://op.example (HS256)',
    );
    expect(
      redactor.redact({ idTokenVerificationConfig: { issuer: 'https://op.example' } }),
    ).toEqual({
      idTokenVerificationConfig: { issuer: 'https://op.example' },
    });
    expect(redactor.redactText('secret the-client-secret')).toBe('secret [redacted]');
  });

  it('takes the values of confidential form items for secrets, whatever their key', () => {
    const redactor = new SecretRedactor().addConfig({ signingMaterial: 'opaque-material-42' }, [
      { key: 'signingMaterial', label: 'x', type: 'Text' as never, isConfidential: true } as never,
    ]);
    expect(redactor.redactText('got opaque-material-42')).toBe('got [redacted]');
  });

  it('takes a long prefix of a secret where a text was cut for the secret', () => {
    const redactor = new SecretRedactor(['0123456789abcdefghij-secret']);
    expect(redactor.redactText('answer: 0123456789abc…')).toBe('answer: [redacted]…');
    expect(redactor.redactText('answer: 0123456789abc')).toBe('answer: [redacted]');
    // Seven characters at the cut are too few to mean anything.
    expect(redactor.redactText('answer: 0123456…')).toBe('answer: 0123456…');
  });

  it('redacts an echoed Authorization credential it was never told about', () => {
    const redactor = new SecretRedactor();
    expect(redactor.redactText('header was Basic dXNlcjpwYXNzd29yZA== ok')).toBe(
      'header was Basic [redacted] ok',
    );
    expect(redactor.redactText('Bearer authentication failed')).toBe(
      'Bearer authentication failed',
    );
  });

  it('registers what a Basic header decodes to', () => {
    const redactor = new SecretRedactor().addAuthorization(
      `Basic ${Buffer.from('client:p%40ss-word-1').toString('base64')}`,
    );
    expect(redactor.redactText('p@ss-word-1 and p%40ss-word-1')).toBe('[redacted] and [redacted]');
  });

  it('keeps the original error as a redacted, non-enumerable cause', () => {
    const redactor = new SecretRedactor(['super-secret-value'], { provider: 'IdP' });
    const original = Object.assign(new TypeError('socket said super-secret-value'), {
      code: 'ECONNRESET',
    });
    const error = redactor.toConnectorError(original);
    const cause = (error as Error & { cause?: Error & { code?: string } }).cause;
    expect(cause?.message).toBe('socket said [redacted]');
    expect(cause?.code).toBe('ECONNRESET');
    expect(cause?.name).toBe('TypeError');
    expect(Object.keys(error)).not.toContain('cause');
    expect(JSON.stringify(error)).not.toContain('ECONNRESET');
    expect(JSON.stringify(error)).not.toContain('cause');
    expect(error.data).toEqual({
      message: 'Unexpected error in the connector: socket said [redacted]',
      provider: 'IdP',
    });
  });

  it('fills the provider of an error that named none at the connector boundary', () => {
    const redactor = new SecretRedactor([], { provider: 'GitHub' });
    const error = redactor.toConnectorError(
      new ConnectorError('general' as never, { message: 'x', provider: '' }),
    );
    expect(error.data).toEqual({ message: 'x', provider: 'GitHub' });
  });
});

describe('SecretRedactor on hostile texts', () => {
  it('redacts a prefix at a cut in a megabyte of ellipses (found by searching, not by scanning each cut)', () => {
    const redactor = new SecretRedactor(['0123456789abcdefghij-secret']);
    const text = `${'…'.repeat(1024 * 1024)} 0123456789abc… 0123456789abcX`;
    const result = redactor.redactText(text);
    // Cut at the ellipsis: redacted; followed by another character: not a cut, left alone.
    expect(result.endsWith(' [redacted]… 0123456789abcX')).toBe(true);
  });
});
