import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../http';
import { authorizationScheme, requestUserInfo } from './user-info-request';

const endpoint = 'https://op.example.com/userinfo';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = createHttpClient({ retries: 0 });

const codeOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return (error as ConnectorError).code;
};

describe('requestUserInfo', () => {
  it('sends the access token as a Bearer token by GET and returns the object', async () => {
    let authorization: string | null = null;
    server.use(
      http.get(endpoint, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json({ sub: 'u' });
      }),
    );
    const body = await requestUserInfo(client, {
      endpoint,
      accessToken: 'at-123',
      tokenType: 'bearer',
      providerName: 'OP',
    });
    expect(body).toEqual({ sub: 'u' });
    expect(authorization).toBe('Bearer at-123');
  });

  it('can use POST', async () => {
    server.use(
      http.post(endpoint, ({ request }) =>
        HttpResponse.json({ sub: request.headers.get('authorization') }),
      ),
    );
    const body = await requestUserInfo(client, {
      endpoint,
      accessToken: 'at-1',
      method: 'POST',
      providerName: 'OP',
    });
    expect(body.sub).toBe('Bearer at-1');
  });

  it('reports a 401 as an invalid access token', async () => {
    server.use(http.get(endpoint, () => new HttpResponse(null, { status: 401 })));
    expect(
      await codeOf(requestUserInfo(client, { endpoint, accessToken: 'x', providerName: 'OP' })),
    ).toBe(ConnectorErrorCodes.SocialAccessTokenInvalid);
  });

  it('reports a body that is not a JSON object as invalid_response', async () => {
    server.use(http.get(endpoint, () => HttpResponse.json(['not', 'an', 'object'])));
    expect(
      await codeOf(requestUserInfo(client, { endpoint, accessToken: 'x', providerName: 'OP' })),
    ).toBe(ConnectorErrorCodes.InvalidResponse);
  });

  it('sends Bearer for any spelling of bearer and refuses other token types (RFC 6749 §7.1)', () => {
    expect(authorizationScheme(undefined)).toBe('Bearer');
    expect(authorizationScheme('BEARER')).toBe('Bearer');
    expect(() => authorizationScheme('MAC')).toThrow(/only Bearer/);
  });
});
