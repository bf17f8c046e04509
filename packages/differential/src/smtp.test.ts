import createIdplugSmtp from '@idplug/connector-smtp';
import { type ReceivedMessage, type SmtpSink, startSmtpSink } from '@idplug/emulators';
import type { GetI18nEmailTemplate } from '@logto/connector-kit';
import * as officialModule from '@logto/connector-smtp';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeMessage, htmlCodeTemplates, sendThroughBoth } from './email-differential';
import { consoleStoredConfig } from './official-connector';

/**
 * SMTP: `@logto/connector-smtp` 1.5.4 (nodemailer, a new transport per message) and ours (a
 * pooled connection) send the same message for the same stored config into one SMTP sink on
 * loopback (STARTTLS and AUTH, like a port 587 submission server): same envelope, From, To,
 * Reply-To, subject, custom headers and content, so the same code.
 *
 * Documented differences, asserted: the official connector sends an HTML template as an HTML part
 * only; ours adds the text alternative (RFC 2046 §5.1.4 multipart/alternative) without markup.
 * And ours escapes payload values inside HTML (the official connector inserts them raw).
 */

const credentials = { user: 'mailer@example.com', pass: 'differential-smtp-password' };
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink({ auth: credentials, tls: 'starttls' });
});
afterAll(async () => {
  // Also closes the connections ours keeps pooled and the ones the official transports left open.
  await sink.stop();
});

const usageTypes = ['SignIn', 'Register', 'ForgotPassword', 'Generic', 'BindMfa'] as const;
const htmlTemplates = htmlCodeTemplates(usageTypes, { contentType: 'text/html' });

/** The config the official console stores, with the sink's address, credentials and CA typed in. */
const storedConfig = (typed: Record<string, unknown> = {}) =>
  consoleStoredConfig(officialModule, {
    host: sink.host,
    port: sink.port,
    auth: { type: 'login', ...credentials },
    fromEmail: 'Example <no-reply@example.com>',
    tls: { ca: sink.tls?.ca },
    ...typed,
  });

const sendWithBoth = sendThroughBoth(
  { official: officialModule, ours: { default: createIdplugSmtp } },
  { reset: () => sink.reset(), received: () => sink.messages },
);

/** What the recipient sees, apart from the content parts. */
const envelopeAndHeaders = (message: ReceivedMessage) => ({
  envelope: message.envelope,
  from: message.from,
  to: message.to,
  replyTo: message.replyTo,
  subject: message.subject,
  authUser: message.authUser,
  secure: message.secure,
  campaign: message.headers['x-campaign'],
});

/**
 * A content part without the line break that ends a single-part body: the official connector's
 * HTML message is single-part, ours multipart/alternative, where the break before the boundary
 * belongs to the boundary (RFC 2046 §5.1.1). Framing, not content.
 */
const contentOf = (part: string | undefined) => part?.replace(/\r?\n$/, '');

const message = codeMessage(
  ['ada@example.com', 'Ada.Lovelace+logto@mail.example.org', 'ADA@Example.COM'],
  usageTypes,
  ['en', 'fr'],
);
const settings = fc.record({
  html: fc.boolean(),
  replyTo: fc.option(fc.constantFrom('help@example.com', 'Support <support@example.com>'), {
    nil: undefined,
  }),
  customHeaders: fc.option(fc.constant({ 'X-Campaign': 'logto-verification' }), { nil: undefined }),
});

describe('SMTP: same message as @logto/connector-smtp', () => {
  it('delivers the same envelope, headers and content over 30 fuzzed configs and messages', {
    timeout: 120_000,
  }, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(settings, message, async ({ html, replyTo, customHeaders }, data) => {
        const config = await storedConfig({
          // Plain text: the official console's own default templates.
          ...(html && { templates: htmlTemplates }),
          ...(replyTo && { replyTo }),
          ...(customHeaders && { customHeaders }),
        });
        const [theirs, ours] = await sendWithBoth(config, data);
        expect(envelopeAndHeaders(ours)).toEqual(envelopeAndHeaders(theirs));
        // nodemailer lower-cases the domain of an envelope address for both (RFC 5321 §2.4).
        expect(ours.envelope.to.map((to) => to.toLowerCase())).toEqual([data.to.toLowerCase()]);
        if (html) {
          expect(theirs.html).toContain(`<code>${data.payload.code}</code>`);
          expect(contentOf(ours.html)).toBe(contentOf(theirs.html));
          expect(theirs.text).toBeUndefined();
          expect(ours.text).toContain(data.payload.code);
          expect(ours.text).not.toMatch(/<[a-z]/);
        } else {
          expect(theirs.text).toContain(data.payload.code);
          expect(contentOf(ours.text)).toBe(contentOf(theirs.text));
          expect(ours.html).toBeUndefined();
          expect(theirs.html).toBeUndefined();
        }
        compared += 1;
      }),
      { numRuns: 30, ...(process.env.CI && { seed: 2_026_12_01 }) },
    );
    expect(compared).toBe(30);
  });

  it("uses Logto's localized template, its sender and Reply-To the same way", async () => {
    const config = await storedConfig({ replyTo: 'config-reply@example.com' });
    const localized: GetI18nEmailTemplate = async (type, locale) => ({
      subject: `[${locale}] ${type}: {{code}}`,
      content: '<p>Code <b>{{code}}</b> for {{application.name}}</p>',
      contentType: 'text/html',
      sendFrom: '{{application.name}} <team@example.com>',
      replyTo: 'help+{{application.name}}@example.com',
    });
    const data = {
      to: 'ada@example.com',
      type: 'Register',
      payload: { code: '482913', locale: 'de', application: { name: 'Acme' } },
    };
    const [theirs, ours] = await sendWithBoth(config, data, localized);
    expect(envelopeAndHeaders(ours)).toEqual(envelopeAndHeaders(theirs));
    expect(ours.from).toEqual({ address: 'team@example.com', name: 'Acme' });
    expect(ours.replyTo).toEqual([{ address: 'help+Acme@example.com', name: '' }]);
    expect(contentOf(ours.html)).toBe(contentOf(theirs.html));
  });

  it('escapes payload markup in an HTML part where the official connector inserts it raw', async () => {
    const config = await storedConfig({ templates: htmlTemplates });
    const data = {
      to: 'ada@example.com',
      type: 'SignIn',
      payload: { code: '123456', application: { name: '<img src=x onerror=alert(1)>' } },
    };
    const [theirs, ours] = await sendWithBoth(config, data);
    expect(theirs.html).toContain('<b><img src=x onerror=alert(1)></b>');
    expect(ours.html).toContain('<b>&lt;img src=x onerror=alert(1)&gt;</b>');
    expect(ours.subject).toBe(theirs.subject);
  });
});
