import { afterEach, describe, expect, it } from 'vitest';
import type { EmailApiEmulator } from './email-api';
import { startMailgunEmulator } from './mailgun';

const apiKey = 'mailgun-emulator-key';
const started: EmailApiEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.stop()));
});

const start = async () => {
  const emulator = await startMailgunEmulator({ apiKeys: [apiKey], domains: ['mg.example.com'] });
  started.push(emulator);
  return emulator;
};

const post = (
  url: string,
  fields: Record<string, string>,
  key = apiKey,
  domain = 'mg.example.com',
) =>
  fetch(`${url}/v3/${domain}/messages`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`api:${key}`).toString('base64')}` },
    body: new URLSearchParams(fields),
  });

const message = {
  from: 'no-reply@mg.example.com',
  to: 'ada@example.com',
  subject: 'Code',
  html: '<p>1</p>',
  text: '1',
};

describe('Mailgun emulator', () => {
  it('queues a form message and records both parts', async () => {
    const emulator = await start();
    const response = await post(emulator.url, message);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ message: 'Queued. Thank you.' });
    expect(emulator.messages[0]).toMatchObject({
      to: ['ada@example.com'],
      html: '<p>1</p>',
      text: '1',
    });
  });

  it('records a Mailgun template with its variables', async () => {
    const emulator = await start();
    await post(emulator.url, {
      from: message.from,
      to: message.to,
      template: 'logto',
      'h:X-Mailgun-Variables': '{"code":"5"}',
    });
    expect(emulator.messages[0]?.template).toEqual({ name: 'logto', model: { code: '5' } });
  });

  it('answers a wrong key with 401 Forbidden, an unknown domain with 404, a bodiless message with 400', async () => {
    const emulator = await start();
    const forbidden = await post(emulator.url, message, 'wrong');
    expect([forbidden.status, await forbidden.text()]).toEqual([401, 'Forbidden']);
    expect((await post(emulator.url, message, apiKey, 'other.example.com')).status).toBe(404);
    const { html: _html, text: _text, ...bodiless } = message;
    const refused = await post(emulator.url, bodiless);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      message: "Need at least one of 'text', 'html' or 'template' parameters specified",
    });
    expect(emulator.messages).toHaveLength(0);
  });
});
