import createIdplugSendGrid from '@idplug/connector-sendgrid';
import { useProviderMock } from '@idplug/testing';
import type { EmailConnector } from '@logto/connector-kit';
import * as official from '@logto/connector-sendgrid-email';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * SendGrid: both connectors send the same Mail Send request for the same message. For plain-text
 * templates the JSON bodies are equal; for HTML templates ours adds the text/plain part SendGrid
 * wants first, and its HTML part equals the official one whenever the payload holds no markup
 * (the official connector inserts values unescaped, ours escapes them).
 */

const endpoint = 'https://api.sendgrid.com/v3/mail/send';
type Received = { body: Record<string, unknown>; authorization: string | null };
const received: Received[] = [];

useProviderMock(
  http.post(endpoint, async ({ request }) => {
    received.push({
      body: (await request.json()) as Record<string, unknown>,
      authorization: request.headers.get('authorization'),
    });
    return new HttpResponse(null, { status: 202 });
  }),
);

const usageTypes = ['SignIn', 'Register', 'ForgotPassword', 'Generic'] as const;

const configFor = (type: 'text/plain' | 'text/html', fromName?: string) => ({
  apiKey: 'SG.differential-key',
  fromEmail: 'no-reply@example.com',
  ...(fromName !== undefined && { fromName }),
  templates: usageTypes.map((usageType) => ({
    usageType,
    type,
    subject: `${usageType}: {{code}} for {{application.name}}.`,
    content:
      type === 'text/html'
        ? `<p>Your ${usageType} code is <b>{{code}}</b>, {{application.name}}.</p>`
        : `Your ${usageType} code is {{code}}, {{application.name}}.`,
  })),
});

const load = async (module: unknown, config: unknown) =>
  (await officialFactory<EmailConnector>(module)({
    getConfig: async () => config,
    getI18nEmailTemplate: async () => undefined,
  })) as EmailConnector;

const oneLine = (unit: 'grapheme' | 'binary') =>
  fc.string({ unit, maxLength: 30 }).filter((text) => !/[\r\n]/.test(text) && text.trim() === text);
const markupFree = fc.string({ maxLength: 30 }).map((text) => text.replace(/[&<>"'\r\n]/g, ''));

const message = (values: fc.Arbitrary<string>) =>
  fc.record({
    to: fc.emailAddress().filter((address) => address.length <= 254),
    type: fc.constantFrom(...usageTypes),
    payload: fc.record({ code: values, application: fc.record({ name: values }) }),
  });

const compare = async (
  type: 'text/plain' | 'text/html',
  values: fc.Arbitrary<string>,
  check: (official: Received, idplug: Received) => void,
) => {
  await fc.assert(
    fc.asyncProperty(
      message(values),
      fc.option(oneLine('grapheme'), { nil: undefined }),
      async (data, fromName) => {
        const config = configFor(type, fromName || undefined);
        received.length = 0;
        await (await load(official, config)).sendMessage(data as never);
        await (await load({ default: createIdplugSendGrid }, config)).sendMessage(data as never);
        expect(received).toHaveLength(2);
        const [theirs, ours] = received as [Received, Received];
        expect(ours.authorization).toBe(theirs.authorization);
        check(theirs, ours);
      },
    ),
    { numRuns: 100, ...(process.env.CI && { seed: 2_025_12_01 }) },
  );
};

describe('SendGrid: same request as @logto/connector-sendgrid-email', () => {
  it('sends equal bodies for plain-text templates', { timeout: 120_000 }, async () => {
    await compare('text/plain', oneLine('binary'), (theirs, ours) => {
      expect(ours.body).toEqual(theirs.body);
    });
  });

  it('sends the same HTML part, after a text/plain part, for HTML templates', {
    timeout: 120_000,
  }, async () => {
    await compare('text/html', markupFree, (theirs, ours) => {
      const { content: theirContent, ...theirRest } = theirs.body;
      const { content: ourContent, ...ourRest } = ours.body;
      expect(ourRest).toEqual(theirRest);
      const parts = ourContent as Array<{ type: string; value: string }>;
      expect(parts.map(({ type }) => type)).toEqual(['text/plain', 'text/html']);
      expect(parts[1]).toEqual((theirContent as unknown[])[0]);
      expect(parts[0]?.value).not.toMatch(/<[a-z]/);
    });
  });
});
