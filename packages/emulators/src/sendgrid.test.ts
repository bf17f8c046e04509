import { afterEach, describe, expect, it } from 'vitest';
import type { EmailApiEmulator } from './email-api';
import { startSendGridEmulator } from './sendgrid';

const apiKey = 'SG.emulator-key';
const started: EmailApiEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.stop()));
});

const start = async () => {
  const emulator = await startSendGridEmulator({
    apiKeys: [apiKey],
    senders: ['no-reply@example.com'],
  });
  started.push(emulator);
  return emulator;
};

const mail = (overrides: Record<string, unknown> = {}) => ({
  personalizations: [{ to: [{ email: 'ada@example.com' }] }],
  from: { email: 'no-reply@example.com', name: 'Example' },
  subject: 'Code',
  content: [
    { type: 'text/plain', value: 'Code 1' },
    { type: 'text/html', value: '<p>Code 1</p>' },
  ],
  ...overrides,
});

const post = (url: string, body: unknown, key = apiKey) =>
  fetch(`${url}/v3/mail/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('SendGrid emulator', () => {
  it('accepts a mail with 202 and X-Message-Id, recording both parts', async () => {
    const emulator = await start();
    const response = await post(emulator.url, mail());
    expect(response.status).toBe(202);
    expect(response.headers.get('x-message-id')).toBe(emulator.messages[0]?.id);
    expect(emulator.messages[0]).toMatchObject({
      from: 'no-reply@example.com',
      to: ['ada@example.com'],
      text: 'Code 1',
      html: '<p>Code 1</p>',
    });
  });

  it('answers a wrong key with 401 and errors[]', async () => {
    const emulator = await start();
    const response = await post(emulator.url, mail(), 'SG.wrong');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      errors: [{ message: expect.stringContaining('authorization grant') }],
    });
  });

  it('refuses an unverified sender (403), a missing subject and HTML before text (400)', async () => {
    const emulator = await start();
    expect((await post(emulator.url, mail({ from: { email: 'x@example.com' } }))).status).toBe(403);
    expect((await post(emulator.url, mail({ subject: '' }))).status).toBe(400);
    const reversed = mail({ content: [...mail().content].reverse() });
    const response = await post(emulator.url, reversed);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ field: 'content' }] });
    expect(emulator.messages).toHaveLength(0);
  });
});
