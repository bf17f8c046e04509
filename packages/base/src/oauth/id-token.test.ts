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
        trustedAudiences: ['other'],
        nonce: 'n-1',
        providerName: 'IdP',
      },
    );
    expect(claims.azp).toBe(audience);
  });

  it('rejects an extra audience the operator did not list as trusted (OIDC Core §3.1.3.7 item 3)', async () => {
    const error = await rejection(await sign({ aud: [audience, 'other'], azp: audience }));
    expect(error.message).toContain('"other"');
    await rejection(await sign({ aud: [audience, 'other', 'third'], azp: audience }), {
      trustedAudiences: ['other'],
    });
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

describe('HMAC-signed ID tokens (OIDC Core §10.1), opt-in only', () => {
  const clientSecret = 'the-client-secret-used-as-hmac-key';
  const signHmac = (key: Uint8Array, alg = 'HS256') => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: 'user-1', nonce: 'n-1' })
      .setProtectedHeader({ alg })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(key);
  };
  const secretKey = new TextEncoder().encode(clientSecret);

  it('refuses an HS256 token signed with the client secret unless HS256 is listed', async () => {
    await rejection(await signHmac(secretKey), { hmacSecret: clientSecret });
    const claims = await verifyIdToken(await signHmac(secretKey), jwks, {
      issuer,
      audience,
      nonce: 'n-1',
      providerName: 'IdP',
      algorithms: ['RS256', 'HS256'],
      hmacSecret: clientSecret,
    });
    expect(claims.sub).toBe('user-1');
    // Only the listed HMAC algorithm.
    await rejection(await signHmac(secretKey, 'HS512'), {
      algorithms: ['RS256', 'HS256'],
      hmacSecret: clientSecret,
    });
  });

  it('never uses the public key as an HMAC key, even with HS256 listed', async () => {
    const { n } = publicJwk;
    const error = await rejection(
      await signHmac(new TextEncoder().encode(JSON.stringify(publicJwk))),
      {
        algorithms: ['RS256', 'HS256'],
        hmacSecret: clientSecret,
      },
    );
    expect(error.message).toContain('signature');
    expect(n).toBeTruthy();
    // RS256 still verifies through the key set.
    await verifyIdToken(await sign(), jwks, {
      issuer,
      audience,
      nonce: 'n-1',
      providerName: 'IdP',
      algorithms: ['RS256', 'HS256'],
      hmacSecret: clientSecret,
    });
  });

  it('is invalid_config when HMAC is listed but there is no client secret', async () => {
    const error = await verifyIdToken(await signHmac(secretKey), jwks, {
      issuer,
      audience,
      nonce: 'n-1',
      providerName: 'IdP',
      algorithms: ['HS256'],
    }).catch((caught: unknown) => caught);
    expect((error as ConnectorError).code).toBe('invalid_config');
  });
});
