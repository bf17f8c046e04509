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
    expect(error.data).toMatchObject({ errorDescription: 'try later' });
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
