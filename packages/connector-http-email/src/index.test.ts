import { verifyWebhookSignature, webhookSignatureHeader } from '@idplug/base';
import { type EmailApiEmulator, startHttpEmailReceiver } from '@idplug/emulators';
import { useProviderMock } from '@idplug/testing';
import {
  ConnectorError,
  ConnectorErrorCodes,
  type EmailConnector,
  TemplateType,
} from '@logto/connector-kit';
import { HttpResponse, http, passthrough } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import createHttpEmailConnector from './index';

const token = 'Bearer receiver-token-0123456789';
const signingSecret = 'receiver-signing-secret-0123456789';
const endpoint = 'https://mailer.example.com/logto/email';

const mock = useProviderMock();
const receivers: EmailApiEmulator[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
});

/** A real receiver on loopback, let through msw. */
const receiver = async (options: Parameters<typeof startHttpEmailReceiver>[0] = {}) => {
  const started = await startHttpEmailReceiver(options);
  receivers.push(started);
  mock.use(http.all(`${started.url}/*`, () => passthrough()));
  return started;
};

const load = (config: unknown) =>
  createHttpEmailConnector({ getConfig: async () => config }) as Promise<EmailConnector>;

const message = {
  to: 'person@example.com',
  type: TemplateType.SignIn,
  payload: { code: '123456', locale: 'fr' },
};

const failure = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  const text = JSON.stringify((error as ConnectorError).data);
  expect(text).not.toContain('receiver-token');
  expect(text).not.toContain(signingSecret);
  return error as ConnectorError;
};

describe('posting a message', () => {
  it("posts the official connector's JSON body with the Authorization header", async () => {
    const target = await receiver({ authorization: token });
    await (await load(target.config)).sendMessage({ ...message, ip: '203.0.113.9' });
    const [request] = target.backend.requests;
    expect(request?.request.raw).toBe(
      '{"to":"person@example.com","type":"SignIn","payload":{"code":"123456","locale":"fr"},"ip":"203.0.113.9"}',
    );
    expect(request?.request.headers['content-type']).toBe('application/json');
    expect(request?.request.headers.authorization).toBe(token);
    expect(target.messages[0]).toMatchObject({
      to: ['person@example.com'],
      text: 'Your SignIn verification code is 123456.',
    });
  });

  it('leaves out ip when the message has none, and sends no signature unless configured', async () => {
    const target = await receiver();
    await (await load({ endpoint: target.endpoint })).sendMessage(message);
    const [request] = target.backend.requests;
    expect(JSON.parse(request?.request.raw ?? '')).not.toHaveProperty('ip');
    expect(request?.request.headers).not.toHaveProperty(webhookSignatureHeader);
    expect(request?.request.headers).not.toHaveProperty('authorization');
  });

  it('signs the exact bytes it sends when signingSecret is set', async () => {
    const target = await receiver({ signingSecret });
    await (await load(target.config)).sendMessage(message);
    const [request] = target.backend.requests;
    expect(request?.answer.status).toBe(200);
    const header = request?.request.headers[webhookSignatureHeader];
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(signingSecret, request?.request.raw ?? '', header)).toBe(true);
    expect(verifyWebhookSignature(signingSecret, `${request?.request.raw} `, header)).toBe(false);
  });

  it('uses the unsaved config of "send test" instead of the stored one', async () => {
    const target = await receiver();
    const getConfig = vi.fn(async () => ({ endpoint: 'https://stale.example.com/' }));
    const connector = (await createHttpEmailConnector({ getConfig })) as EmailConnector;
    await connector.sendMessage(message, { endpoint: target.endpoint });
    expect(getConfig).not.toHaveBeenCalled();
    expect(target.messages).toHaveLength(1);
  });

  it('accepts an http:// endpoint on a private network, as the official connector does', async () => {
    mock.use(
      http.post('http://mailer.internal:8080/send', () => new HttpResponse(null, { status: 204 })),
    );
    await (await load({ endpoint: 'http://mailer.internal:8080/send' })).sendMessage(message);
    expect(mock.requests).toHaveLength(1);
  });
});

describe('refusing before anything is sent', () => {
  it.each([
    ['a list of recipients', 'a@example.com, b@example.com'],
    ['a recipient with a line break', 'a@example.com\r\nBcc: b@example.com'],
  ])('refuses %s', async (_, to) => {
    const error = await failure((await load({ endpoint })).sendMessage({ ...message, to }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(mock.requests).toHaveLength(0);
  });

  it.each([
    ['an endpoint without a scheme', { endpoint: 'mailer.example.com/send' }],
    ['an endpoint with credentials in it', { endpoint: 'https://user:pw@mailer.example.com/' }],
    ['a short signing secret', { endpoint, signingSecret: 'short' }],
    ['an authorization with a line break', { endpoint, authorization: 'Bearer x\r\nX-Evil: 1' }],
    ['no endpoint', {}],
  ])('reports %s as invalid_config', async (_, config) => {
    const error = await failure((await load(config)).sendMessage(message));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(mock.requests).toHaveLength(0);
  });
});

describe("mapping the receiver's answers", () => {
  it('reports a refused Authorization header as invalid_config without the header', async () => {
    const target = await receiver({ authorization: token });
    const error = await failure(
      (await load({ ...target.config, authorization: `${token}-old` })).sendMessage(message),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toMatchObject({ status: 401 });
  });

  it('reports a refused signature as invalid_config without the secret', async () => {
    const target = await receiver({ signingSecret });
    const error = await failure(
      (await load({ ...target.config, signingSecret: `${signingSecret}-rotated` })).sendMessage(
        message,
      ),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(JSON.stringify(error.data)).not.toContain('rotated');
  });

  it('reports 429 as rate_limit_exceeded with its Retry-After', async () => {
    mock.use(
      http.post(
        endpoint,
        () => new HttpResponse('slow down', { status: 429, headers: { 'retry-after': '12' } }),
      ),
    );
    const error = await failure((await load({ endpoint })).sendMessage(message));
    expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    expect(error.data).toMatchObject({ retryAfter: 12 });
  });

  it('reports another refusal as general with the status and an excerpt of the body', async () => {
    mock.use(http.post(endpoint, () => HttpResponse.text('mailbox unavailable', { status: 500 })));
    const error = await failure((await load({ endpoint })).sendMessage(message));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toMatchObject({ status: 500 });
    expect((error.data as { message: string }).message).toContain('mailbox unavailable');
  });

  it('redacts the token when the receiver echoes it', async () => {
    mock.use(
      http.post(endpoint, ({ request }) =>
        HttpResponse.text(`bad header ${request.headers.get('authorization')}`, { status: 400 }),
      ),
    );
    const error = await failure(
      (await load({ endpoint, authorization: token })).sendMessage(message),
    );
    expect(error.code).toBe(ConnectorErrorCodes.General);
  });

  it('treats any 2xx as delivered, whatever its body', async () => {
    mock.use(http.post(endpoint, () => HttpResponse.html('<p>ok</p>', { status: 202 })));
    await expect((await load({ endpoint })).sendMessage(message)).resolves.toBe(202);
  });
});
