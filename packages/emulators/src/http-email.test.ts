import { signWebhookBody, webhookSignatureHeader } from '@idplug/base';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmailApiEmulator } from './email-api';
import { startHttpEmailReceiver } from './http-email';

const started: EmailApiEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.stop()));
});

const start = async (options: Parameters<typeof startHttpEmailReceiver>[0] = {}) => {
  const receiver = await startHttpEmailReceiver(options);
  started.push(receiver);
  return receiver;
};

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

const body = JSON.stringify({ to: 'ada@example.com', type: 'SignIn', payload: { code: '<1>' } });

describe('HTTP email receiver', () => {
  it('records a message with an HTML part (escaped) and a text part', async () => {
    const receiver = await start();
    const response = await post(receiver.endpoint, body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: receiver.messages[0]?.id });
    expect(receiver.messages[0]).toMatchObject({
      provider: 'HTTP email receiver',
      to: ['ada@example.com'],
      subject: 'SignIn code',
      text: 'Your SignIn verification code is <1>.',
      html: '<p>Your SignIn verification code is &#60;1&#62;.</p>',
    });
  });

  it('requires the configured Authorization header', async () => {
    const receiver = await start({ authorization: 'Bearer right' });
    expect((await post(receiver.endpoint, body)).status).toBe(401);
    expect((await post(receiver.endpoint, body, { authorization: 'Bearer wrong' })).status).toBe(
      401,
    );
    expect((await post(receiver.endpoint, body, { authorization: 'Bearer right' })).status).toBe(
      200,
    );
    expect(receiver.messages).toHaveLength(1);
  });

  it('verifies the HMAC signature over the raw body', async () => {
    const secret = 'receiver-secret-0123456789';
    const receiver = await start({ signingSecret: secret });
    const signed = { [webhookSignatureHeader]: signWebhookBody(secret, body) };
    expect((await post(receiver.endpoint, body, signed)).status).toBe(200);
    expect((await post(receiver.endpoint, `${body} `, signed)).status).toBe(401);
    const stale = { [webhookSignatureHeader]: signWebhookBody(secret, body, 1_000_000) };
    expect((await post(receiver.endpoint, body, stale)).status).toBe(401);
    expect((await post(receiver.endpoint, body)).status).toBe(401);
  });

  it('refuses bodies of the wrong shape, other paths and methods', async () => {
    const receiver = await start();
    expect((await post(receiver.endpoint, '{"to":1,"type":"SignIn","payload":{}}')).status).toBe(
      400,
    );
    expect(
      (await post(receiver.endpoint, '{"to":"a@b.c","type":"SignIn","payload":[]}')).status,
    ).toBe(400);
    expect((await post(receiver.endpoint, 'not json')).status).toBe(400);
    expect((await post(`${receiver.url}/other`, body)).status).toBe(404);
    expect((await fetch(receiver.endpoint)).status).toBe(405);
    expect(receiver.messages).toHaveLength(0);
    expect(receiver.backend.requests).toHaveLength(5);
  });

  it('answers forced answers after authentication, then records again', async () => {
    const receiver = await start();
    receiver.backend.forceNext({ status: 503, text: 'down' });
    expect((await post(receiver.endpoint, body)).status).toBe(503);
    expect((await post(receiver.endpoint, body)).status).toBe(200);
    expect(receiver.messages).toHaveLength(1);
  });
});
