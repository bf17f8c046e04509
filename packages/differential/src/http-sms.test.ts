import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import createHttpSmsConnector from '@idplug/connector-http-sms';
import { arbitrarySmsPayload, fuzzPhoneNumbers } from '@idplug/testing';
import * as officialModule from '@logto/connector-http-sms';
import { type SmsConnector, TemplateType } from '@logto/connector-kit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * HTTP SMS's drop-in promise: for the same input, the receiver gets the same JSON body from
 * idplug as from `@logto/connector-http-sms`, byte for byte. Both connectors post to one real
 * loopback server that keeps each body as raw bytes.
 */

type Captured = { rawBody: Buffer; headers: IncomingHttpHeaders };
const captured: Captured[] = [];
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    captured.push({ rawBody: Buffer.concat(chunks), headers: request.headers });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
});
let endpoint = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const createOfficial = officialFactory<SmsConnector>(officialModule);

/** What Logto passes: a number as stored, a usage type, a payload (locale and uiLocales included), maybe an ip. */
const arbitraryMessage = () =>
  fc.record(
    {
      to: fc.constantFrom(...fuzzPhoneNumbers),
      type: fc.constantFrom(...Object.values(TemplateType)),
      payload: fc
        .tuple(
          arbitrarySmsPayload(),
          fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), {
            maxKeys: 3,
          }),
        )
        .map(([known, extra]) => ({ ...extra, ...known })),
      ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('')),
    },
    { requiredKeys: ['to', 'type', 'payload'] },
  );

const bodiesFor = async (message: unknown, authorization: string | undefined) => {
  const config = { endpoint, ...(authorization !== undefined && { authorization }) };
  captured.length = 0;
  const official = await createOfficial({ getConfig: async () => config });
  await official.sendMessage(message as never);
  const ours = (await createHttpSmsConnector({ getConfig: async () => config })) as SmsConnector;
  await ours.sendMessage(message as never);
  expect(captured).toHaveLength(2);
  return captured.map(({ rawBody, headers }) => ({ rawBody, headers }));
};

describe('HTTP SMS against @logto/connector-http-sms', () => {
  it('posts a byte-identical JSON body over 200 fuzzed messages', {
    timeout: 120_000,
  }, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        arbitraryMessage(),
        fc.option(fc.constant('Bearer differential-token'), { nil: undefined }),
        async (message, authorization) => {
          runs += 1;
          const [official, ours] = await bodiesFor(message, authorization);
          expect(
            ours?.rawBody.equals(official?.rawBody ?? Buffer.alloc(0)),
            ours?.rawBody.toString(),
          ).toBe(true);
          expect(ours?.headers['content-type']).toBe(official?.headers['content-type']);
          expect(ours?.headers.authorization).toBe(official?.headers.authorization);
        },
      ),
      { numRuns: 200, seed: 20_261_201 },
    );
    expect(runs).toBe(200);
  });

  it('sends locale, uiLocales and ip exactly where the official connector does', async () => {
    const message = {
      to: '4512345678',
      type: TemplateType.SignIn,
      payload: { code: '123456', locale: 'zh-CN', uiLocales: 'zh-CN en' },
      ip: '198.51.100.23',
    };
    const [official, ours] = await bodiesFor(message, undefined);
    expect(ours?.rawBody.toString('utf8')).toBe(official?.rawBody.toString('utf8'));
    expect(JSON.parse(ours?.rawBody.toString('utf8') ?? '')).toEqual(message);
  });
});
