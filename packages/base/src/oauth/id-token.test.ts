import { ConnectorError } from '@logto/connector-kit';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyIdToken } from './id-token';

let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let jwks: ReturnType<typeof createLocalJWKSet>;
let publicJwk: JWK;
const issuer = 'https://idp.example';
const audience = 'client-1';

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
  jwks = createLocalJWKSet({ keys: [publicJwk] });
});

const sign = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: 'user-1', nonce: 'n-1', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header })
    .setIssuer((claims.iss as string) ?? issuer)
    .setAudience((claims.aud as string | string[]) ?? audience)
    .setIssuedAt((claims.iat as number) ?? now)
    .setExpirationTime((claims.exp as number) ?? now + 300)
    .sign(privateKey);
};

const rejection = async (token: string, overrides: Record<string, unknown> = {}) => {
  const error = await verifyIdToken(token, jwks, {
    issuer,
    audience,
    nonce: 'n-1',
    providerName: 'IdP',
    ...overrides,
  }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).code).toBe('social_invalid_id_token');
  return (error as ConnectorError).data as { message: string };
};

describe('ID token verification', () => {
  it('returns the claims of a valid token', async () => {
    const claims = await verifyIdToken(await sign(), jwks, {
      issuer,
      audience,
      nonce: 'n-1',
      providerName: 'IdP',
    });
    expect(claims.sub).toBe('user-1');
  });

  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await rejection(await sign({ iat: now - 3600, exp: now - 600 }))).message).toContain(
      'expired',
    );
  });

  it('rejects a token issued in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejection(await sign({ iat: now + 600, exp: now + 1200 }));
  });

  it('rejects a wrong audience or issuer', async () => {
    await rejection(await sign({ aud: 'other-client' }));
    await rejection(await sign({ iss: 'https://evil.example' }));
  });

  it('requires azp to be this client when there are several audiences', async () => {
    await rejection(await sign({ aud: [audience, 'other'], azp: 'other' }));
    await rejection(await sign({ aud: [audience, 'other'] }));
    const claims = await verifyIdToken(
      await sign({ aud: [audience, 'other'], azp: audience }),
      jwks,
      {
        issuer,
        audience,
        nonce: 'n-1',
        providerName: 'IdP',
      },
    );
    expect(claims.azp).toBe(audience);
  });

  it('requires the nonce whenever one was sent', async () => {
    expect((await rejection(await sign({ nonce: undefined }))).message).toContain('no nonce');
    expect((await rejection(await sign({ nonce: 'replayed' }))).message).toContain(
      'does not match',
    );
  });

  it('rejects alg none and an HS256 token keyed with the public key', async () => {
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({
        sub: 'x',
        iss: issuer,
        aud: audience,
        nonce: 'n-1',
        iat: 1,
        exp: 9_999_999_999,
      }),
    ).toString('base64url')}.`;
    await rejection(unsigned);
    const hmac = await new SignJWT({ sub: 'x', nonce: 'n-1' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    await rejection(hmac);
  });

  it('rejects an unknown kid and a stripped signature', async () => {
    await rejection(await sign({}, { kid: 'unknown' }));
    const token = await sign();
    await rejection(`${token.split('.').slice(0, 2).join('.')}.`);
  });

  it('checks auth_time against max_age', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejection(await sign({ auth_time: now - 3600 }), { maxAgeSeconds: 60 });
    await rejection(await sign(), { maxAgeSeconds: 60 });
    const claims = await verifyIdToken(await sign({ auth_time: now - 10 }), jwks, {
      issuer,
      audience,
      nonce: 'n-1',
      maxAgeSeconds: 60,
      providerName: 'IdP',
    });
    expect(claims.auth_time).toBe(now - 10);
  });
});

describe('code-flow ID token', () => {
  it('requires an ID token in the token response and a nonce in the session', async () => {
    const { verifyCodeFlowIdToken } = await import('./id-token');
    const expectations = { issuer, audience, providerName: 'IdP' };
    const noToken = await verifyCodeFlowIdToken({}, { nonce: 'n-1' }, jwks, expectations).catch(
      (error: unknown) => error,
    );
    expect((noToken as ConnectorError).code).toBe('social_invalid_id_token');
    const noNonce = await verifyCodeFlowIdToken(
      { id_token: await sign() },
      {},
      jwks,
      expectations,
    ).catch((error: unknown) => error);
    expect((noNonce as ConnectorError).code).toBe('social_invalid_id_token');
    const { claims } = await verifyCodeFlowIdToken(
      { id_token: await sign() },
      { nonce: 'n-1' },
      jwks,
      expectations,
    );
    expect(claims.sub).toBe('user-1');
  });
});
