import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HealthyProvider, startHealthyProvider } from './healthy-provider';

let provider: HealthyProvider;
beforeAll(async () => {
  provider = await startHealthyProvider({ clientId: 'client', claims: { email: 'a@example.com' } });
});
afterAll(async () => {
  await provider.stop();
});

describe('the healthy provider', () => {
  it('issues an ID token for the current nonce that its JWKS verifies', async () => {
    provider.nonce = 'n-1';
    const response = await fetch(`${provider.url}/token`, { method: 'POST', body: 'code=x' });
    const { id_token: idToken, access_token: accessToken } = (await response.json()) as {
      id_token: string;
      access_token: string;
    };
    expect(accessToken).toBe('healthy-access-token');
    const { payload } = await jwtVerify(
      idToken,
      createRemoteJWKSet(new URL(`${provider.url}/jwks`)),
      { issuer: provider.url, audience: 'client' },
    );
    expect(payload).toMatchObject({ sub: 'ada', nonce: 'n-1', email: 'a@example.com' });
  });

  it('answers userinfo about the same subject', async () => {
    const response = await fetch(`${provider.url}/userinfo`);
    expect(await response.json()).toEqual({ sub: 'ada', name: 'Ada' });
  });
});
