import { describe, expect, it } from 'vitest';
import {
  configFor,
  credentials,
  load,
  message,
  startSink,
  stopSinksAfterEach,
} from './test-support';

stopSinksAfterEach();

describe('a server that caps concurrent clients', () => {
  it.each([1, 3, 10])(
    'delivers 200 concurrent sends once each when the server takes %i clients',
    async (maxConnections) => {
      const sink = await startSink({ auth: credentials, maxConnections });
      const connector = await load(configFor(sink, { sendTimeout: 30_000 }));

      const sends = Array.from({ length: 200 }, (_, index) =>
        connector.sendMessage(message(`person${index}@example.org`)),
      );
      await expect(Promise.all(sends)).resolves.toHaveLength(200);

      const messageIds = sink.messages.map((received) => received.headers['message-id']);
      expect(messageIds).toHaveLength(200);
      expect(new Set(messageIds).size).toBe(200);
      const recipients = new Set(sink.messages.flatMap((received) => received.envelope.to));
      expect(recipients.size).toBe(200);
      // Never more connections than the pool's 5 (and refused ones are not retried in a storm).
      expect(sink.connections.peak).toBeLessThanOrEqual(Math.max(5, maxConnections));
    },
  );
});
