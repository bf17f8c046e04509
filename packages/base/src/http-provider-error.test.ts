import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorError } from './errors';
import { createHttpClient } from './http';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const readCode = (body: unknown) =>
  body && typeof body === 'object' && 'Code' in body
    ? connectorError(ConnectorErrorCodes.InvalidConfig, `own error ${String(body.Code)}`)
    : undefined;

describe('HttpRequest.readProviderError', () => {
  it("throws the provider's own error for an error status, instead of the generic one", async () => {
    server.use(
      http.post('https://api.example.com/', () =>
        HttpResponse.json({ Code: 'SignatureDoesNotMatch' }, { status: 400 }),
      ),
    );
    const error = await createHttpClient()
      .request({
        url: 'https://api.example.com/',
        method: 'POST',
        purpose: 'send',
        form: { a: '1' },
        readProviderError: readCode,
      })
      .catch((error: unknown) => error);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect((error as ConnectorError).data).toMatchObject({
      message: 'own error SignatureDoesNotMatch',
    });
  });

  it('is consulted on success statuses too, and passes bodies it does not claim through', async () => {
    server.use(
      http.get('https://api.example.com/error-in-200', () => HttpResponse.json({ Code: 'X' })),
      http.get('https://api.example.com/fine', () => HttpResponse.json({ EnvId: '1' })),
    );
    const client = createHttpClient();
    await expect(
      client.request({
        url: 'https://api.example.com/error-in-200',
        purpose: 'api',
        readProviderError: readCode,
      }),
    ).rejects.toMatchObject({ code: ConnectorErrorCodes.InvalidConfig });
    const response = await client.request({
      url: 'https://api.example.com/fine',
      purpose: 'api',
      readProviderError: readCode,
    });
    expect(response.body).toEqual({ EnvId: '1' });
  });

  it('leaves the default mapping in place when it returns nothing', async () => {
    server.use(
      http.post('https://api.example.com/', () =>
        HttpResponse.json({ Message: 'no code' }, { status: 429 }),
      ),
    );
    await expect(
      createHttpClient().request({
        url: 'https://api.example.com/',
        method: 'POST',
        purpose: 'send',
        form: {},
        readProviderError: readCode,
      }),
    ).rejects.toMatchObject({ code: ConnectorErrorCodes.RateLimitExceeded });
  });
});
