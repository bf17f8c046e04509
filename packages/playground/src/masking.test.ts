import { describe, expect, it } from 'vitest';
import { decodeJwtClaims, maskSecret, maskSecrets } from './masking';
import { renderResult } from './pages';

describe('masking secrets on the page', () => {
  it('keeps a short prefix and the length of a secret, never the whole value', () => {
    expect(maskSecret('ya29.a0AfH6SMBx-very-long-access-token')).toBe(
      'ya29.a… (38 characters, masked)',
    );
    expect(maskSecret('short')).toBe('… (5 characters, masked)');
  });

  it('masks tokens, secrets and codes at any depth and leaves other values alone', () => {
    expect(
      maskSecrets({
        access_token: 'gho_0123456789abcdefghij',
        token_type: 'bearer',
        nested: { client_secret: 'not-to-be-shown', list: [{ refresh_token: 'abcdefghijkl' }] },
        code: '4/0abcdefgh',
      }),
    ).toEqual({
      access_token: 'gho_01… (24 characters, masked)',
      token_type: 'bearer',
      nested: {
        client_secret: 'not… (15 characters, masked)',
        list: [{ refresh_token: 'abc… (12 characters, masked)' }],
      },
      code: '4/0… (11 characters, masked)',
    });
  });

  it('leaves values about a secret readable: its algorithm, method or type', () => {
    expect(
      maskSecrets({
        clientSecret: 'client-secret-value',
        clientSecretJwtSigningAlgorithm: 'HS256',
        tokenEndpointAuthMethod: 'client_secret_jwt',
        clientPrivateKeySigningAlgorithm: 'ES256',
        clientPrivateKey: '-----BEGIN PRIVATE KEY-----',
      }),
    ).toEqual({
      clientSecret: 'client… (19 characters, masked)',
      clientSecretJwtSigningAlgorithm: 'HS256',
      tokenEndpointAuthMethod: 'client_secret_jwt',
      clientPrivateKeySigningAlgorithm: 'ES256',
      clientPrivateKey: '-----B… (27 characters, masked)',
    });
  });

  it('decodes the claims of a JWT, and nothing from a malformed one', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'user-1' })).toString('base64url');
    expect(decodeJwtClaims(`eyJhbGciOiJSUzI1NiJ9.${payload}.c2ln`)).toEqual({ sub: 'user-1' });
    expect(decodeJwtClaims('not-a-jwt')).toBeUndefined();
  });

  it('shows a sign-in with its tokens masked and the ID token claims decoded', () => {
    const idToken = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ iss: 'http://127.0.0.1:1' })).toString('base64url')}.c2lnbmF0dXJl`;
    const html = renderResult({
      kind: 'signed-in',
      result: {
        method: 'getTokenResponseAndUserInfo',
        userInfo: { id: 'user-1', email: 'ada@example.com', rawData: { sub: 'user-1' } },
        tokenResponse: { access_token: 'access-token-value-0123', id_token: idToken },
        canRefresh: true,
      },
      callbackParameters: { code: 'authorization-code-value', state: 'state-1' },
      authorizationUri: 'http://127.0.0.1:1/authorize?state=state-1',
      usedEmulator: true,
    });
    expect(html).not.toContain('access-token-value-0123');
    expect(html).not.toContain('authorization-code-value');
    expect(html).not.toContain(idToken);
    expect(html).toContain('&#34;iss&#34;: &#34;http://127.0.0.1:1&#34;');
    expect(html).toContain('<td data-testid="user-email">ada@example.com</td>');
  });

  it('shows a failure with its connector error code and message', () => {
    const html = renderResult({
      kind: 'failed',
      during: 'getUserInfo',
      error: {
        code: 'invalid_response',
        message: 'The provider said no',
        data: { access_token: 'leaked-token-value' },
        isConnectorError: true,
      },
    });
    expect(html).toContain('<span class="code" data-testid="error-code">invalid_response</span>');
    expect(html).toContain('The provider said no');
    expect(html).not.toContain('leaked-token-value');
  });
});
