import { verifyWebhookSignature, webhookSignatureHeader } from '@idplug/base';
import { type HttpReceiver, startHttpReceiver } from '@idplug/emulators';
import { createSendTestKit, smsTestMessage } from '@idplug/testing';
import type { SmsConnector } from '@logto/connector-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import createHttpSmsConnector from './index';

const authorization = 'Bearer receiver-token-5f2a9c';
const signingSecret = 'hmac-signing-key-0123456789abcdef';
const phone = '4512345678';

let receiver: HttpReceiver;
let signedReceiver: HttpReceiver;

beforeAll(async () => {
  receiver = await startHttpReceiver({ authorization });
  signedReceiver = await startHttpReceiver({ authorization, signingSecret });
});
afterAll(async () => {
  await receiver.stop();
  await signedReceiver.stop();
});
beforeEach(() => {
  receiver.reset();
  signedReceiver.reset();
});

const { send, failure: errorOf } = createSendTestKit<SmsConnector>({
  create: createHttpSmsConnector,
  config: undefined,
  message: smsTestMessage,
  secrets: [authorization, signingSecret, phone],
});

describe('HTTP SMS', () => {
  it('posts to, type, payload and ip as JSON with the Authorization header', async () => {
    const payload = { code: '123456', locale: 'fr', uiLocales: 'fr en' };
    await send(
      { endpoint: receiver.url, authorization },
      { to: phone, type: 'SignIn', payload, ip: '203.0.113.7' },
    );
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe(authorization);
    expect(request?.rawBody.toString('utf8')).toBe(
      JSON.stringify({ to: phone, type: 'SignIn', payload, ip: '203.0.113.7' }),
    );
    expect(receiver.messages).toMatchObject([
      {
        provider: 'http-sms',
        to: phone,
        template: 'SignIn',
        text: 'Your verification code is 123456',
      },
    ]);
  });

  it('leaves ip out when Logto passes none, and forwards the number as Logto stored it', async () => {
    await send(
      { endpoint: receiver.url, authorization },
      { to: '+45 12 34 56 78', type: 'Register', payload: { code: '1' } },
    );
    expect(JSON.parse(receiver.requests[0]?.rawBody.toString('utf8') ?? '')).toEqual({
      to: '+45 12 34 56 78',
      type: 'Register',
      payload: { code: '1' },
    });
  });

  it('sends no signature unless a signing secret is configured', async () => {
    await send(
      { endpoint: receiver.url, authorization },
      { to: phone, type: 'SignIn', payload: {} },
    );
    expect(receiver.requests[0]?.headers[webhookSignatureHeader]).toBeUndefined();
  });

  it('signs the exact body with the signing secret, which the receiver verifies', async () => {
    await send(
      { endpoint: signedReceiver.url, authorization, signingSecret },
      { to: phone, type: 'SignIn', payload: { code: '654321' } },
    );
    const [request] = signedReceiver.requests;
    expect(request?.status).toBe(200);
    const header = request?.headers[webhookSignatureHeader] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(
      verifyWebhookSignature(signingSecret, request?.rawBody.toString('utf8') ?? '', header),
    ).toBe(true);
    expect(header).not.toContain(signingSecret);
  });

  it('reports a receiver refusing the signature as invalid_config, without the key', async () => {
    const error = await errorOf(
      send(
        { endpoint: signedReceiver.url, authorization, signingSecret: 'another-signing-key-0000' },
        { to: phone, type: 'SignIn', payload: {} },
      ),
    );
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error.data)).not.toContain('another-signing-key-0000');
  });

  it('reports a refused Authorization header as invalid_config, with the status', async () => {
    const error = await errorOf(
      send(
        { endpoint: receiver.url, authorization: 'Bearer wrong-token-value' },
        {
          to: phone,
          type: 'SignIn',
          payload: {},
        },
      ),
    );
    expect(error.code).toBe('invalid_config');
    expect(error.data).toMatchObject({ status: 401 });
    expect(JSON.stringify(error.data)).not.toContain('wrong-token-value');
  });

  it('refuses a recipient that is not one phone number before any request', async () => {
    for (const to of ['4512345678,4587654321', '4512345678\r\nX', 'call me', '1234567890123456']) {
      const error = await errorOf(
        send({ endpoint: receiver.url, authorization }, { to, type: 'SignIn', payload: {} }),
      );
      expect(error.code).toBe('invalid_request_parameters');
    }
    expect(receiver.requests).toHaveLength(0);
  });

  it('reports a non-2xx answer with its status and a short excerpt, and does not retry', async () => {
    receiver.forceAnswer({ status: 503, body: `gateway down for ${phone} ${'x'.repeat(400)}` }, 3);
    const error = await errorOf(
      send({ endpoint: receiver.url, authorization }, { to: phone, type: 'SignIn', payload: {} }),
    );
    expect(error.code).toBe('general');
    expect(error.data).toMatchObject({ status: 503 });
    expect(String((error.data as { message: string }).message)).toMatch(/HTTP 503: gateway down/);
    expect(String((error.data as { message: string }).message).length).toBeLessThan(320);
    expect(JSON.stringify(error.data)).toContain('gateway down for ******5678');
    expect(receiver.requests).toHaveLength(1);
  });

  it('reports 429 with Retry-After as rate_limit_exceeded, carrying retryAfter', async () => {
    receiver.forceAnswer({ status: 429, body: 'slow down', headers: { 'retry-after': '30' } });
    const error = await errorOf(
      send({ endpoint: receiver.url, authorization }, { to: phone, type: 'SignIn', payload: {} }),
    );
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ retryAfter: 30, status: 429 });
  });

  it('reports an endpoint that is not a URL, or a short signing secret, as invalid_config', async () => {
    for (const config of [
      { endpoint: 'sms.example.com/send' },
      { endpoint: receiver.url, signingSecret: 'short' },
    ]) {
      const error = await errorOf(send(config, { to: phone, type: 'SignIn', payload: {} }));
      expect(error.code).toBe('invalid_config');
    }
  });
});
