import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { describeOfficialError, plainReturnValue } from './compare-send';
import { renderSideBySide } from './compare-view';

describe("an official connector's result on the page", () => {
  it('masks the config secrets and the callback code an official error message carries', () => {
    const code = '4/0AeanS0bXexampleAuthorizationCode';
    const error = new ConnectorError(ConnectorErrorCodes.General, {
      message: JSON.stringify({ code, state: 'abc', clientSecret: 'GOCSPX-very-secret-value' }),
    });
    const described = describeOfficialError(
      error,
      { clientId: 'client-1', clientSecret: 'GOCSPX-very-secret-value' },
      { code, state: 'abc' },
    );
    expect(described.code).toBe('general');
    expect(described.message).not.toContain(code);
    expect(described.message).not.toContain('very-secret');
    expect(described.message).toContain('"state":"abc"');
    expect(described.message).toContain('characters, masked');
  });

  it("keeps the status and body of an HTTP client's cyclic response object", () => {
    const response: Record<string, unknown> = { statusCode: 202, body: '{"id":"m-1"}' };
    response.request = { response };
    expect(plainReturnValue(response)).toEqual({ statusCode: 202, body: { id: 'm-1' } });
    expect(plainReturnValue(undefined)).toBeNull();
    expect(plainReturnValue({ sid: 'SM1' })).toEqual({ sid: 'SM1' });
  });

  it('escapes what the official connector said, beside our result', () => {
    const html = renderSideBySide(
      { html: '<section id="result">ours</section>', error: undefined },
      {
        kind: 'failed',
        packageName: '@logto/connector-sendgrid-email',
        during: 'sendMessage',
        error: {
          code: 'general',
          message: '<img src=x onerror=alert(1)>',
          data: { apiKey: 'SG.secret-api-key-value' },
          isConnectorError: true,
        },
        refusedAddresses: ['https://api.example.com/v3/mail/send'],
      },
      () => '',
    );
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).not.toContain('secret-api-key-value');
    expect(html).toContain('data-testid="official-refused"');
    expect(html).toContain('data-testid="compare-verdict" data-ok="false"');
  });
});
