import { ConnectorError } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { parseAuthorizationResponse } from './callback';

const parse = (data: unknown, expectedIssuer?: string) => {
  try {
    return parseAuthorizationResponse(data, {
      providerName: 'IdP',
      ...(expectedIssuer && { expectedIssuer }),
    });
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
};

describe('authorization response', () => {
  it('returns the code', () => {
    expect(parse({ code: 'abc', state: 's' })).toEqual({ code: 'abc' });
  });

  it('maps access_denied to authorization_failed', () => {
    expect((parse({ error: 'access_denied' }) as ConnectorError).code).toBe('authorization_failed');
  });

  it('maps other callback errors to general carrying error_description', () => {
    const error = parse({
      error: 'server_error',
      error_description: 'try later',
    }) as ConnectorError;
    expect(error.code).toBe('general');
    expect(error.data).toMatchObject({
      providerCode: expect.any(String),
      description: 'try later',
    });
  });

  it('accepts a matching RFC 9207 iss and rejects another one', () => {
    expect(parse({ code: 'a', iss: 'https://idp.example' }, 'https://idp.example')).toEqual({
      code: 'a',
      iss: 'https://idp.example',
    });
    expect(
      (parse({ code: 'a', iss: 'https://evil.example' }, 'https://idp.example') as ConnectorError)
        .code,
    ).toBe('general');
  });

  it('refuses data without code or error', () => {
    expect((parse({}) as ConnectorError).code).toBe('invalid_request_parameters');
    expect((parse('code') as ConnectorError).code).toBe('invalid_request_parameters');
    expect((parse({ code: 42 }) as ConnectorError).code).toBe('invalid_request_parameters');
  });
});

describe('RFC 9207 issuer identification', () => {
  const options = { providerName: 'IdP', expectedIssuer: 'https://idp.example' };
  const outcome = (data: unknown, issuerRequired?: boolean) => {
    try {
      return parseAuthorizationResponse(data, { ...options, issuerRequired });
    } catch (error: unknown) {
      return error as ConnectorError;
    }
  };

  it('refuses a callback without iss when the provider announces it always sends one (§2.4)', () => {
    expect((outcome({ code: 'a' }, true) as ConnectorError).code).toBe('general');
    expect(outcome({ code: 'a', iss: 'https://idp.example' }, true)).toEqual({
      code: 'a',
      iss: 'https://idp.example',
    });
    expect(outcome({ code: 'a' }, false)).toEqual({ code: 'a' });
  });

  it('refuses an iss that is not one string instead of treating it as absent', () => {
    for (const iss of [['https://idp.example', 'https://evil.example'], { x: 1 }, 42, null]) {
      const error = outcome({ code: 'a', iss }) as ConnectorError;
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error.message).toContain('not one string');
    }
  });

  it('accepts a callback without state: Logto compares state before it calls the connector', () => {
    expect(outcome({ code: 'a' })).toEqual({ code: 'a' });
  });
});
