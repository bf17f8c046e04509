import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  configFor,
  credentials,
  load,
  message,
  startSink,
  stopSinksAfterEach,
} from './test-support';
import { refusalQuietPeriodMs } from './transport-pool';

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

describe('the lowered connection limit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stays down while refusals are recent, and goes up by one connection after a quiet period', async () => {
    // Only Date is faked, so the quiet period passes in one step; sockets and timers run for real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const sink = await startSink({ auth: credentials, maxConnections: 1 });
    const connector = await load(configFor(sink, { sendTimeout: 30_000 }));
    const burst = async (label: string) =>
      Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          connector.sendMessage(message(`${label}${index}@example.org`)),
        ),
      );

    await burst('first');
    const afterFirst = sink.connections.total;

    // Right after the refusals: the one accepted connection carries the burst, no new attempt.
    await burst('second');
    expect(sink.connections.total).toBe(afterFirst);

    // After a quiet period the pool tries one more connection (refused again here).
    vi.setSystemTime(Date.now() + refusalQuietPeriodMs + 1);
    await burst('third');
    expect(sink.connections.total).toBe(afterFirst + 1);
    expect(sink.messages).toHaveLength(60);
  });
});
