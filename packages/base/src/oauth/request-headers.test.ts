import { ConnectorError } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { requestHeadersGuard, resolveRequestHeaders } from './request-headers';

describe('request headers', () => {
  it('accepts plain headers and fills in {{clientId}}, spaces inside the braces allowed', () => {
    const headers = requestHeadersGuard.parse({
      'Client-Id': '{{clientId}}',
      'X-Both': 'a={{ clientId }};b=2',
    });
    expect(resolveRequestHeaders(headers, { clientId: 'app-1' })).toEqual({
      'Client-Id': 'app-1',
      'X-Both': 'a=app-1;b=2',
    });
    expect(resolveRequestHeaders({}, { clientId: 'app-1' })).toBeUndefined();
    expect(resolveRequestHeaders(undefined, { clientId: 'app-1' })).toBeUndefined();
  });

  it.each([
    ['Authorization', { Authorization: 'Bearer x' }],
    ['a lower-case host', { host: 'evil.example.com' }],
    ['Content-Type', { 'Content-Type': 'application/json' }],
    ['Transfer-Encoding', { 'Transfer-Encoding': 'chunked' }],
    ['the client secret', { 'X-Secret': '{{clientSecret}}' }],
    ['another template', { 'X-Url': '{{tokenEndpoint}}' }],
    ['a line break', { 'X-Line': 'a\r\nHost: evil' }],
    ['non-ASCII', { 'X-Name': 'café' }],
    ['a space in the name', { 'Bad Name': 'x' }],
    ['a name twice', { 'x-a': '1', 'X-A': '2' }],
    ['a non-string value', { 'X-Number': 1 }],
    ['a long value', { 'X-Long': 'x'.repeat(2001) }],
    ['21 headers', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`x-h${i}`, 'v']))],
  ])('refuses %s', (_, headers) => {
    expect(requestHeadersGuard.safeParse(headers).success).toBe(false);
  });

  it('names the client secret in the message when a template reaches for it', () => {
    const result = requestHeadersGuard.safeParse({ 'X-Secret': '{{clientSecret}}' });
    expect(result.error?.issues[0]?.message).toContain('never put in a header');
  });

  it('refuses a client ID that would split the header as invalid_config', () => {
    expect(() =>
      resolveRequestHeaders({ 'Client-Id': '{{clientId}}' }, { clientId: 'a\r\nHost: evil' }),
    ).toThrow(ConnectorError);
  });
});
