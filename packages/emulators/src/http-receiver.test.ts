import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HttpReceiver, startHttpReceiver } from './http-receiver';
import { newestFirst } from './sms-inbox';

const signingSecret = 'receiver-test-signing-secret';
let receiver: HttpReceiver;

beforeAll(async () => {
  receiver = await startHttpReceiver({ authorization: 'Bearer t', signingSecret });
});
afterAll(() => receiver.stop());
beforeEach(() => receiver.reset());

const post = (body: string, headers: Record<string, string>) =>
  fetch(receiver.url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

const signed = (body: string, timestamp = Math.floor(Date.now() / 1000)) =>
  `t=${timestamp},v1=${createHmac('sha256', signingSecret).update(`${timestamp}.${body}`).digest('hex')}`;

describe('HTTP receiver', () => {
  it('files a signed, authorized message in the inbox and keeps the raw body', async () => {
    const body = JSON.stringify({ to: '4512345678', type: 'SignIn', payload: { code: '123456' } });
    const response = await post(body, {
      authorization: 'Bearer t',
      'x-idplug-signature': signed(body),
    });
    expect(response.status).toBe(200);
    expect(receiver.requests[0]?.rawBody.toString('utf8')).toBe(body);
    expect(receiver.messages).toMatchObject([
      {
        provider: 'http-sms',
        to: '4512345678',
        template: 'SignIn',
        text: 'Your verification code is 123456',
      },
    ]);
  });

  it('refuses a wrong authorization, a forged or an old signature with 401', async () => {
    const body = JSON.stringify({ to: '4512345678', type: 'SignIn', payload: {} });
    const old = Math.floor(Date.now() / 1000) - 3600;
    const attempts: Array<Record<string, string>> = [
      { authorization: 'Bearer x', 'x-idplug-signature': signed(body) },
      { authorization: 'Bearer t', 'x-idplug-signature': signed(`${body} `) },
      { authorization: 'Bearer t', 'x-idplug-signature': signed(body, old) },
      { authorization: 'Bearer t' },
    ];
    for (const headers of attempts) {
      expect((await post(body, headers)).status).toBe(401);
    }
    expect(receiver.messages).toHaveLength(0);
  });

  it('answers a forced status with its headers, once', async () => {
    receiver.forceAnswer({ status: 429, headers: { 'retry-after': '7' } });
    const body = JSON.stringify({ to: '4512345678', type: 'SignIn', payload: {} });
    const headers = { authorization: 'Bearer t', 'x-idplug-signature': signed(body) };
    const first = await post(body, headers);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await post(body, { ...headers, 'x-idplug-signature': signed(body) })).status).toBe(200);
  });

  it('lists the inbox newest first', () => {
    const older = {
      provider: 'twilio' as const,
      to: '1',
      text: 'a',
      template: 'x',
      receivedAt: new Date(1),
    };
    const newer = { ...older, text: 'b', receivedAt: new Date(2) };
    expect(newestFirst([older, newer]).map(({ text }) => text)).toEqual(['b', 'a']);
  });
});
