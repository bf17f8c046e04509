import type { ConnectorError } from '@logto/connector-kit';
import { decodeJwt, decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../http';
import { basicAuthorizationHeader, type ClientCredentials } from './client-auth';
import { exchangeAuthorizationCode, refreshAccessToken } from './token';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const tokenEndpoint = 'https://idp.example/token';
const httpClient = createHttpClient();

type Captured = { form: URLSearchParams; authorization: string | null };
const capture = (answer: () => Response = () => HttpResponse.json({ access_token: 'at' })) => {
  const captured: Captured[] = [];
  server.use(
    http.post(tokenEndpoint, async ({ request }) => {
      captured.push({
        form: new URLSearchParams(await request.text()),
        authorization: request.headers.get('authorization'),
      });
      return answer();
    }),
  );
  return captured;
};

const exchange = (client: ClientCredentials, extras?: Record<string, string>) =>
  exchangeAuthorizationCode(
    httpClient,
    { tokenEndpoint, client, ...(extras && { extraParameters: extras }) },
    { code: 'the-code', redirectUri: 'https://l.example/cb', codeVerifier: 'verifier' },
  );

describe('client authentication', () => {
  it('form-encodes id and secret before Basic (RFC 6749 §2.3.1)', async () => {
    expect(basicAuthorizationHeader('id:with space', 'sec/ret+')).toBe(
      `Basic ${Buffer.from('id%3Awith+space:sec%2Fret%2B').toString('base64')}`,
    );
    const [request] = (await (async () => {
      const captured = capture();
      await exchange({ clientId: 'id', clientSecret: 'secret', method: 'client_secret_basic' });
      return captured;
    })()) as [Captured];
    expect(request.authorization).toBe(basicAuthorizationHeader('id', 'secret'));
    expect(request.form.has('client_secret')).toBe(false);
    expect(request.form.get('code_verifier')).toBe('verifier');
  });

  it('posts the secret with client_secret_post', async () => {
    const captured = capture();
    await exchange({ clientId: 'id', clientSecret: 'secret', method: 'client_secret_post' });
    expect(captured[0]?.form.get('client_secret')).toBe('secret');
    expect(captured[0]?.authorization).toBeNull();
  });

  it('signs a client_secret_jwt assertion with the secret', async () => {
    const captured = capture();
    await exchange({
      clientId: 'id',
      clientSecret: 'a-shared-secret-of-enough-length!',
      method: 'client_secret_jwt',
      signingAlgorithm: 'HS512',
    });
    const assertion = captured[0]?.form.get('client_assertion') ?? '';
    expect(captured[0]?.form.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    const { payload, protectedHeader } = await jwtVerify(
      assertion,
      new TextEncoder().encode('a-shared-secret-of-enough-length!'),
      {
        audience: tokenEndpoint,
        issuer: 'id',
      },
    );
    expect(protectedHeader.alg).toBe('HS512');
    expect(payload.sub).toBe('id');
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('signs a private_key_jwt assertion with a PEM key and kid', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const captured = capture();
    await exchange({
      clientId: 'id',
      method: 'private_key_jwt',
      privateKey: await exportPKCS8(privateKey),
      signingAlgorithm: 'ES256',
      keyId: 'k1',
    });
    const assertion = captured[0]?.form.get('client_assertion') ?? '';
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'ES256', kid: 'k1' });
    await jwtVerify(assertion, publicKey, { audience: tokenEndpoint });
    expect(decodeJwt(assertion).exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('refuses a missing secret or an unreadable key as invalid_config', async () => {
    const missing = await exchange({ clientId: 'id', method: 'client_secret_post' }).catch(
      (error: unknown) => error,
    );
    expect((missing as ConnectorError).code).toBe('invalid_config');
    const badKey = await exchange({
      clientId: 'id',
      method: 'private_key_jwt',
      privateKey: 'not a key',
    }).catch((error: unknown) => error);
    expect((badKey as ConnectorError).code).toBe('invalid_config');
  });
});

describe('token responses', () => {
  it('reads a form response, a string expires_in, and defaults token_type to Bearer', async () => {
    capture(
      () =>
        new HttpResponse('access_token=at&expires_in=3600&scope=a+b', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
    );
    const tokens = await exchange({
      clientId: 'id',
      clientSecret: 's',
      method: 'client_secret_post',
    });
    expect(tokens).toMatchObject({
      access_token: 'at',
      expires_in: 3600,
      token_type: 'Bearer',
      scope: 'a b',
    });
  });

  it('refuses a response without an access token as invalid_response', async () => {
    capture(() => HttpResponse.json({ token_type: 'bearer' }));
    const error = await exchange({
      clientId: 'id',
      clientSecret: 's',
      method: 'client_secret_post',
    }).catch((caught: unknown) => caught);
    expect((error as ConnectorError).code).toBe('invalid_response');
  });

  it('keeps extra token parameters from overriding the grant', async () => {
    const captured = capture();
    await exchange(
      { clientId: 'id', clientSecret: 's', method: 'client_secret_post' },
      { code: 'evil', redirect_uri: 'x', resource: 'api://1' },
    );
    expect(captured[0]?.form.get('code')).toBe('the-code');
    expect(captured[0]?.form.get('redirect_uri')).toBe('https://l.example/cb');
    expect(captured[0]?.form.get('resource')).toBe('api://1');
  });

  it('keeps the old refresh token when a refresh answers none', async () => {
    const captured = capture(() => HttpResponse.json({ access_token: 'new' }));
    const tokens = await refreshAccessToken(
      httpClient,
      {
        tokenEndpoint,
        client: { clientId: 'id', clientSecret: 's', method: 'client_secret_basic' },
      },
      'old-refresh',
    );
    expect(tokens).toMatchObject({ access_token: 'new', refresh_token: 'old-refresh' });
    expect(captured[0]?.form.get('grant_type')).toBe('refresh_token');
    expect(captured[0]?.authorization).toMatch(/^Basic /);
  });
});

describe('token types (RFC 6749 §7.1)', () => {
  const client: ClientCredentials = {
    clientId: 'id',
    clientSecret: 'secret',
    method: 'client_secret_post',
  };

  it('accepts Bearer in any case, and an absent type, as Bearer', async () => {
    for (const tokenType of ['bearer', 'BEARER', 'Bearer', undefined]) {
      capture(() => HttpResponse.json({ access_token: 'at', token_type: tokenType }));
      expect((await exchange(client)).token_type).toBe('Bearer');
    }
  });

  it('refuses a token of a type it does not understand as invalid_response', async () => {
    for (const tokenType of ['mac', 'DPoP', 'N_A']) {
      capture(() => HttpResponse.json({ access_token: 'at', token_type: tokenType }));
      const error = (await exchange(client).catch((caught: unknown) => caught)) as ConnectorError;
      expect(error.code).toBe('invalid_response');
      expect(error.message).toContain('only Bearer tokens');
    }
  });
});
