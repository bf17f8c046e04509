import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearJwksCache, getRemoteJwks, verifyIdToken } from './id-token';

const jwksUri = 'https://idp.example.com/jwks';
const server = setupServer();
let token: string;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  const { privateKey } = await generateKeyPair('RS256');
  token = await new SignJWT({ sub: 'user' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer('https://idp.example.com')
    .setAudience('client')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
});
beforeEach(() => clearJwksCache());
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const verify = () =>
  verifyIdToken(token, getRemoteJwks(jwksUri), {
    issuer: 'https://idp.example.com',
    audience: 'client',
    providerName: 'Example',
  });

const expectKeyFailure = async () => {
  const error: unknown = await verify().catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.General);
  expect((error as ConnectorError).message).toContain('signing keys of Example could not be');
};

describe('a remote JWKS the provider serves broken', () => {
  const codeOf = async () => {
    const error: unknown = await verify().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConnectorError);
    return (error as ConnectorError).code;
  };

  it('is invalid_response, not an invalid ID token, when the key set is malformed', async () => {
    server.use(http.get(jwksUri, () => HttpResponse.json({ keys: 'not-a-list' })));
    expect(await codeOf()).toBe(ConnectorErrorCodes.InvalidResponse);
    server.use(http.get(jwksUri, () => HttpResponse.json([])));
    clearJwksCache();
    expect(await codeOf()).toBe(ConnectorErrorCodes.InvalidResponse);
  });

  it('follows the error table for the key download: 429 is rate_limit_exceeded', async () => {
    server.use(
      http.get(
        jwksUri,
        () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '60' } }),
      ),
    );
    expect(await codeOf()).toBe(ConnectorErrorCodes.RateLimitExceeded);
  });

  it('retries a key download that failed with 503, as an idempotent read', async () => {
    let calls = 0;
    server.use(
      http.get(jwksUri, () => {
        calls += 1;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    expect(await codeOf()).toBe(ConnectorErrorCodes.General);
    expect(calls).toBe(3);
  });

  it('is a general error when the key set holds a private key', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'RS256' };
    server.use(http.get(jwksUri, () => HttpResponse.json({ keys: [privateJwk] })));
    await expectKeyFailure();
  });
});
