import { describe, expect, it } from 'vitest';
import { startAwsSesEmulator } from './aws-ses';

describe('aws-ses-v2-local wrapper', () => {
  it('starts on loopback, refuses unsigned calls, stores sent mail and stops', async () => {
    const emulator = await startAwsSesEmulator();
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const body = JSON.stringify({
        FromEmailAddress: 'no-reply@example.com',
        Destination: { ToAddresses: ['ada@example.com'] },
        Content: { Simple: { Subject: { Data: 'Code' }, Body: { Text: { Data: 'Code 1' } } } },
      });
      const unsigned = await fetch(`${emulator.url}/v2/email/outbound-emails`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(unsigned.status).toBe(403);
      const sent = await fetch(`${emulator.url}/v2/email/outbound-emails`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'AWS4-HMAC-SHA256 Credential=x',
        },
        body,
      });
      expect(sent.status).toBe(200);
      const { MessageId } = (await sent.json()) as { MessageId: string };
      expect(await emulator.messages()).toEqual([
        expect.objectContaining({
          messageId: MessageId,
          subject: 'Code',
          body: { text: 'Code 1' },
        }),
      ]);
    } finally {
      await emulator.stop();
    }
    await expect(fetch(`${emulator.url}/store`)).rejects.toThrow();
  });
});
