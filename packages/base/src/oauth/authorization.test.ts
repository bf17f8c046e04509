import { describe, expect, it } from 'vitest';
import { buildAuthorizationUrl } from './authorization';
import { createCodeChallenge, createPkcePair } from './pkce';

describe('authorization URL', () => {
  it('cannot be made to override state, redirect_uri, nonce or the PKCE challenge by extras', () => {
    const url = new URL(
      buildAuthorizationUrl('https://idp.example/authorize?tenant=a&state=evil', {
        clientId: 'client',
        redirectUri: 'https://logto.example/callback',
        state: 'real-state',
        nonce: 'real-nonce',
        codeChallenge: 'real-challenge',
        scope: 'openid',
        extras: {
          state: 'x',
          redirect_uri: 'https://evil.example',
          nonce: 'x',
          code_challenge: 'x',
          code_challenge_method: 'plain',
          prompt: 'consent',
          empty: undefined,
        },
      }),
    );
    expect(url.searchParams.get('state')).toBe('real-state');
    expect(url.searchParams.getAll('state')).toHaveLength(1);
    expect(url.searchParams.get('redirect_uri')).toBe('https://logto.example/callback');
    expect(url.searchParams.get('nonce')).toBe('real-nonce');
    expect(url.searchParams.get('code_challenge')).toBe('real-challenge');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('tenant')).toBe('a');
    expect(url.searchParams.has('empty')).toBe(false);
    expect(url.searchParams.get('response_type')).toBe('code');
  });

  it('sends no PKCE parameters when PKCE is off, even if the endpoint URL carries some', () => {
    const url = new URL(
      buildAuthorizationUrl('https://idp.example/authorize?code_challenge=x', {
        clientId: 'c',
        redirectUri: 'https://l.example/cb',
        state: 's',
      }),
    );
    expect(url.searchParams.has('code_challenge')).toBe(false);
  });
});

describe('PKCE', () => {
  it('makes S256 challenges per RFC 7636 appendix B', () => {
    expect(createCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    const pair = createPkcePair();
    expect(pair.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.codeChallenge).toBe(createCodeChallenge(pair.codeVerifier));
  });
});

describe('snake-cased parameter names', () => {
  it('turns configured camelCase names into the wire names the official connectors sent', async () => {
    const { snakeCaseKey, snakeCaseKeys } = await import('./authorization');
    expect(snakeCaseKey('maxAge')).toBe('max_age');
    expect(snakeCaseKey('accessType')).toBe('access_type');
    expect(snakeCaseKey('already_snake')).toBe('already_snake');
    expect(snakeCaseKey('IDToken')).toBe('id_token');
    expect(snakeCaseKeys({ uiLocales: 'fr', loginHint: 'a' })).toEqual({
      ui_locales: 'fr',
      login_hint: 'a',
    });
  });
});
