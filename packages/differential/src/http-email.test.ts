import createIdplugHttpEmail from '@idplug/connector-http-email';
import { useProviderMock } from '@idplug/testing';
import * as official from '@logto/connector-http-email';
import type { EmailConnector } from '@logto/connector-kit';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * HTTP email's receivers parse the body the official connector posts, so ours must post the same
 * bytes for the same message: `{ to, type, payload, ip? }` in that order, with the same
 * `Authorization` and `Content-Type`. Both connectors post to the same msw-served endpoint over
 * fuzzed messages and the raw bodies are compared.
 */

const endpoint = 'https://mailer.example.com/logto/email';
const config = { endpoint, authorization: 'Bearer differential-token' };

type Received = { body: Buffer; authorization: string | null; contentType: string | null };
const received: Received[] = [];

useProviderMock(
  http.post(endpoint, async ({ request }) => {
    received.push({
      body: Buffer.from(await request.arrayBuffer()),
      authorization: request.headers.get('authorization'),
      contentType: request.headers.get('content-type'),
    });
    return HttpResponse.json({ ok: true });
  }),
);

const load = async (factory: unknown) =>
  (await officialFactory<EmailConnector>(factory)({
    getConfig: async () => config,
  })) as EmailConnector;

const usageTypes = [
  'SignIn',
  'Register',
  'ForgotPassword',
  'Generic',
  'OrganizationInvitation',
  'UserPermissionValidation',
  'BindNewIdentifier',
  'MfaVerification',
  'BindMfa',
];

// Payloads as Logto builds them (code, locale, links, nested objects) plus arbitrary JSON values
// under arbitrary keys: unicode, escapes, numbers, nesting.
const payload = fc
  .tuple(
    fc.record(
      {
        code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.string()),
        locale: fc.constantFrom('en', 'zh-CN', 'fr', 'pt-BR'),
        link: fc.webUrl(),
        application: fc.record({ name: fc.string({ unit: 'binary' }), id: fc.uuid() }),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 4,
    }),
  )
  .map(([known, extra]) => ({ ...extra, ...known }));

const message = fc.record(
  {
    to: fc.emailAddress().filter((address) => address.length <= 254),
    type: fc.constantFrom(...usageTypes),
    payload,
    ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('')),
  },
  { requiredKeys: ['to', 'type', 'payload'] },
);

describe('HTTP email: same request as @logto/connector-http-email', () => {
  it('posts byte-identical bodies and the same headers over 250 fuzzed messages', {
    timeout: 120_000,
  }, async () => {
    const ours = await load({ default: createIdplugHttpEmail });
    const theirs = await load(official);
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(message, async (data) => {
        received.length = 0;
        await theirs.sendMessage(data as never);
        await ours.sendMessage(data as never);
        expect(received).toHaveLength(2);
        const [official, idplug] = received;
        expect(idplug?.body.toString('utf8')).toBe(official?.body.toString('utf8'));
        expect(idplug?.body.equals(official?.body ?? Buffer.alloc(0))).toBe(true);
        expect(idplug?.authorization).toBe(official?.authorization);
        expect(idplug?.contentType).toBe(official?.contentType);
        compared += 1;
      }),
      { numRuns: 250, ...(process.env.CI && { seed: 2_025_12_01 }) },
    );
    expect(compared).toBeGreaterThanOrEqual(250);
  });
});
