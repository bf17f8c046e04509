import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configFor,
  credentials,
  load,
  message,
  startSink,
  stopSinksAfterEach,
} from './test-support';

stopSinksAfterEach();

type Chunk = { from: 'client' | 'server'; text: string };

/**
 * A TCP relay that records what each side wrote, in order (plain-text SMTP only), and holds the
 * server's replies back 20 ms, like a server 20 ms away: on bare loopback a reply comes back
 * before the client could have sent anything more.
 */
const relays: net.Server[] = [];
const startRecordingRelay = async (target: { host: string; port: number }) => {
  const chunks: Chunk[] = [];
  const relay = net.createServer((client) => {
    const server = net.connect(target.port, target.host);
    client.on('data', (data: Buffer) => {
      chunks.push({ from: 'client', text: data.toString('latin1') });
      server.write(data);
    });
    server.on('data', (data: Buffer) => {
      setTimeout(() => {
        chunks.push({ from: 'server', text: data.toString('latin1') });
        client.write(data);
      }, 20);
    });
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  relays.push(relay);
  return { host: '127.0.0.1', port: (relay.address() as net.AddressInfo).port, chunks };
};
afterEach(async () => {
  for (const relay of relays.splice(0)) {
    relay.close();
  }
});

/**
 * How many times the client sent a MAIL FROM while the server had not yet answered a message
 * whose end-of-data dot the client had already sent: each is a round trip saved (RFC 2920).
 */
const pipelinedEnvelopes = (chunks: Chunk[]) => {
  let bodiesEnded = 0;
  let finalReplies = 0;
  let pipelined = 0;
  for (const { from, text } of chunks) {
    if (from === 'server') {
      finalReplies += text.match(/^250 OK: message queued/gm)?.length ?? 0;
      continue;
    }
    for (const piece of text.split(/(?=MAIL FROM:)/)) {
      if (piece.startsWith('MAIL FROM:') && bodiesEnded > finalReplies) {
        pipelined += 1;
      }
      bodiesEnded += piece.match(/\r\n\.\r\n/g)?.length ?? 0;
    }
  }
  return pipelined;
};

describe('pipelining (RFC 2920)', () => {
  it('sends the next envelope behind a message written in full, before its reply, on one connection', async () => {
    const sink = await startSink({ auth: credentials });
    const relay = await startRecordingRelay(sink);
    const connector = await load(configFor(sink, { ...relay, pool: { maxConnections: 1 } }));

    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        connector.sendMessage(message(`person${index}@example.org`)),
      ),
    );

    expect(sink.messages).toHaveLength(20);
    expect(new Set(sink.messages.map((received) => received.headers['message-id'])).size).toBe(20);
    expect(sink.messages.map((received) => received.envelope.to[0])).toEqual(
      Array.from({ length: 20 }, (_, index) => `person${index}@example.org`),
    );
    expect(sink.connections.total).toBe(1);
    expect(pipelinedEnvelopes(relay.chunks)).toBeGreaterThan(0);
    // No RSET between messages on a clean connection.
    expect(relay.chunks.some((chunk) => /^RSET/m.test(chunk.text))).toBe(false);
  });

  it('keeps a rejected message from affecting the one pipelined behind it', async () => {
    const sink = await startSink({
      auth: credentials,
      rejectRecipients: (address) =>
        address.startsWith('bad') ? { code: 550, message: 'No such user' } : undefined,
    });
    const connector = await load(configFor(sink, { pool: { maxConnections: 1 } }));

    const results = await Promise.allSettled(
      ['good1', 'bad1', 'good2', 'bad2', 'good3'].map((name) =>
        connector.sendMessage(message(`${name}@example.org`)),
      ),
    );

    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(sink.messages.map((received) => received.envelope.to[0])).toEqual([
      'good1@example.org',
      'good2@example.org',
      'good3@example.org',
    ]);
    expect(sink.connections.total).toBe(1);
  });
});
