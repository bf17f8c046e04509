import createIdplugMailgun from '@idplug/connector-mailgun';
import { useProviderMock } from '@idplug/testing';
import { ConnectorError, type EmailConnector } from '@logto/connector-kit';
import * as official from '@logto/connector-mailgun';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * Mailgun: both connectors post the same message form for the same delivery and message: same
 * URL, Basic credentials, from, to, subject, Reply-To, template and X-Mailgun-Variables, and the
 * same HTML whenever the payload holds no markup (the official connector inserts values
 * unescaped, ours escapes them). Ours adds the text part the official one leaves out.
 */

type Received = { url: string; form: Record<string, string>; authorization: string | null };
const received: Received[] = [];

useProviderMock(
  http.post('https://api.mailgun.net/v3/:domain/messages', async ({ request }) => {
    received.push({
      url: request.url,
      form: Object.fromEntries(new URLSearchParams(await request.text())),
      authorization: request.headers.get('authorization'),
    });
    return HttpResponse.json({ id: '<1@mg>', message: 'Queued. Thank you.' });
  }),
);

const config = {
  domain: 'mg.example.com',
  apiKey: 'differential-mailgun-key',
  from: 'Example <no-reply@mg.example.com>',
  deliveries: {
    SignIn: {
      subject: 'Sign in: {{code}}.',
      html: '<p>Your code is <b>{{code}}</b> for {{application.name}}</p>',
      replyTo: 'help@example.com',
    },
    Register: { template: 'logto-register', variables: { product: 'Example', code: 'none' } },
    Generic: { subject: 'Code {{code}}.', html: '<p>{{code}}</p>', text: 'Code {{code}}' },
  },
};

const load = async (module: unknown, stored: unknown = config) =>
  (await officialFactory<EmailConnector>(module)({
    getConfig: async () => stored,
    getI18nEmailTemplate: async () => undefined,
  })) as EmailConnector;

const markupFree = fc.string({ maxLength: 30 }).map((text) => text.replace(/[&<>"'\r\n]/g, ''));

const message = fc.record({
  to: fc.emailAddress().filter((address) => address.length <= 254),
  type: fc.constantFrom('SignIn', 'Register', 'ForgotPassword', 'Generic'),
  payload: fc.record({
    code: markupFree,
    application: fc.record({ name: markupFree }),
    locale: fc.constantFrom('en', 'de'),
  }),
});

describe('Mailgun: same request as @logto/connector-mailgun', () => {
  it('posts the same form fields over 150 fuzzed messages', { timeout: 120_000 }, async () => {
    const theirs = await load(official);
    const ours = await load({ default: createIdplugMailgun });
    await fc.assert(
      fc.asyncProperty(message, async (data) => {
        received.length = 0;
        await theirs.sendMessage(data as never);
        await ours.sendMessage(data as never);
        expect(received).toHaveLength(2);
        const [official, idplug] = received as [Received, Received];
        expect(idplug.url).toBe(official.url);
        expect(idplug.authorization).toBe(official.authorization);
        const { text: ourText, ...ourFields } = idplug.form;
        const { text: theirText, ...theirFields } = official.form;
        expect(ourFields).toEqual(theirFields);
        if (theirText !== undefined) {
          expect(ourText).toBe(theirText);
        } else if (!ourFields.template) {
          // The text part ours adds is the HTML without its markup.
          expect(ourText).not.toMatch(/<[a-z]/);
        }
      }),
      { numRuns: 150, ...(process.env.CI && { seed: 2_025_12_01 }) },
    );
  });

  it('takes a stored config without a Generic delivery the same way: sends what it has, fails the rest', async () => {
    const withoutGeneric = { ...config, deliveries: { SignIn: config.deliveries.SignIn } };
    const theirs = await load(official, withoutGeneric);
    const ours = await load({ default: createIdplugMailgun }, withoutGeneric);
    const signIn = { to: 'ada@example.com', type: 'SignIn', payload: { code: '123456' } };
    received.length = 0;
    await theirs.sendMessage(signIn as never);
    await ours.sendMessage(signIn as never);
    expect(received).toHaveLength(2);
    expect(received[1]?.form.subject).toBe(received[0]?.form.subject);
    const register = { ...signIn, type: 'Register' };
    const codeOf = async (connector: EmailConnector) =>
      connector.sendMessage(register as never).then(
        () => 'sent',
        (error: unknown) => (error instanceof ConnectorError ? error.code : String(error)),
      );
    expect(await codeOf(ours)).toBe(await codeOf(theirs));
    expect(await codeOf(ours)).toBe('template_not_found');
    expect(received).toHaveLength(2);
  });
});
