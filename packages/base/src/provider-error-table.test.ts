import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { timeoutOptionsOf } from './config-fields';
import { connectorMetadata } from './metadata';
import { providerErrorReader } from './provider-error-table';

const readExampleError = providerErrorReader({
  provider: 'Example',
  readFields: (text) => (text ? { description: text, providerCode: 'E1' } : {}),
  statuses: {
    401: {
      code: ConnectorErrorCodes.InvalidConfig,
      message: ({ said }) => `refused the key${said}`,
    },
    429: { code: ConnectorErrorCodes.RateLimitExceeded, message: () => 'is rate limiting sends' },
  },
  otherwise: {
    code: () => ConnectorErrorCodes.General,
    message: ({ status, said }) => `answered HTTP ${status}${said}`,
  },
});

const answer = (status: number, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
});

describe('providerErrorReader', () => {
  it('is no error for any 2xx answer', () => {
    expect(readExampleError('{}', answer(202))).toBeUndefined();
  });

  it('maps a listed status to its code and message, with the fields as details', () => {
    const error = readExampleError('bad key', answer(401));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error?.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error?.data).toEqual({
      message: 'Example refused the key: bad key',
      provider: 'Example',
      status: 401,
      providerCode: 'E1',
      description: 'bad key',
    });
  });

  it('uses the other rule for an unlisted status, and reads a body that is not text as empty', () => {
    const error = readExampleError({ not: 'text' }, answer(500));
    expect(error?.code).toBe(ConnectorErrorCodes.General);
    expect(error?.data).toEqual({
      message: 'Example answered HTTP 500',
      provider: 'Example',
      status: 500,
    });
  });

  it('carries Retry-After only on a rate-limited answer', () => {
    expect(readExampleError('', answer(429, { 'retry-after': '7' }))?.data).toMatchObject({
      retryAfter: 7,
    });
    expect(readExampleError('', answer(500, { 'retry-after': '7' }))?.data).not.toHaveProperty(
      'retryAfter',
    );
  });
});

describe('timeoutOptionsOf', () => {
  it('takes a positive numeric timeout from the config, and nothing else', () => {
    expect(timeoutOptionsOf({ timeout: 5000 })).toEqual({ timeoutMs: 5000 });
    for (const config of [{}, { timeout: '5000' }, { timeout: 0 }, null, undefined, 'x']) {
      expect(timeoutOptionsOf(config)).toEqual({});
    }
  });
});

describe('connectorMetadata', () => {
  it('fills the shared package layout and keeps what the declaration says', () => {
    const metadata = connectorMetadata({
      id: 'x',
      target: 'x',
      name: { en: 'X' },
      description: { en: 'X' },
      logoDark: './logo-dark.svg',
    });
    expect(metadata).toEqual({
      id: 'x',
      target: 'x',
      name: { en: 'X' },
      description: { en: 'X' },
      platform: null,
      logo: './logo.svg',
      logoDark: './logo-dark.svg',
      readme: './README.md',
      configTemplate: './config.example.json',
    });
  });
});
