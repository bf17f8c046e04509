import { afterEach, describe, expect, it } from 'vitest';
import type { EmailApiEmulator } from './email-api';
import { startPostmarkEmulator } from './postmark';

const token = 'postmark-emulator-token';
const started: EmailApiEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.stop()));
});

const start = async () => {
  const emulator = await startPostmarkEmulator({
    serverTokens: [token],
    senders: ['no-reply@example.com'],
    templateAliases: ['logto-generic'],
    inactiveRecipients: ['bounced@example.com'],
  });
  started.push(emulator);
  return emulator;
};

const post = async (url: string, path: string, body: unknown, serverToken = token) => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'x-postmark-server-token': serverToken, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const email = {
  From: 'no-reply@example.com',
  To: 'ada@example.com',
  Subject: 'Code',
  TextBody: 'Code 1',
  HtmlBody: '<p>Code 1</p>',
};

describe('Postmark emulator', () => {
  it('accepts /email and records both parts', async () => {
    const emulator = await start();
    const { status, body } = await post(emulator.url, '/email', email);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ErrorCode: 0,
      Message: 'OK',
      MessageID: emulator.messages[0]?.id,
    });
    expect(emulator.messages[0]).toMatchObject({ text: 'Code 1', html: '<p>Code 1</p>' });
  });

  it('accepts /email/withTemplate for a known alias, recording the model', async () => {
    const emulator = await start();
    const request = {
      From: 'no-reply@example.com',
      To: 'ada@example.com',
      TemplateAlias: 'logto-generic',
      TemplateModel: { code: '9' },
    };
    expect((await post(emulator.url, '/email/withTemplate', request)).status).toBe(200);
    expect(emulator.messages[0]?.template).toEqual({ name: 'logto-generic', model: { code: '9' } });
    const unknown = await post(emulator.url, '/email/withTemplate', {
      ...request,
      TemplateAlias: 'nope',
    });
    expect(unknown.body.ErrorCode).toBe(1101);
  });

  it.each([
    ['a wrong token', '/email', email, 'wrong', 401, 10],
    ['an unconfirmed sender', '/email', { ...email, From: 'x@example.com' }, token, 422, 400],
    ['an inactive recipient', '/email', { ...email, To: 'bounced@example.com' }, token, 422, 406],
    ['an invalid To', '/email', { ...email, To: 'not an address' }, token, 422, 300],
    ['an unknown message stream', '/email', { ...email, MessageStream: 'other' }, token, 422, 1235],
  ])('answers %s with its ErrorCode', async (_, path, body, serverToken, status, code) => {
    const emulator = await start();
    const answer = await post(emulator.url, path, body, serverToken);
    expect(answer.status).toBe(status);
    expect(answer.body.ErrorCode).toBe(code);
    expect(emulator.messages).toHaveLength(0);
  });
});
