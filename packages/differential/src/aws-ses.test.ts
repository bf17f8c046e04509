import createIdplugAwsSes from '@idplug/connector-aws-ses';
import { useProviderMock } from '@idplug/testing';
import * as official from '@logto/connector-aws-ses';
import type { EmailConnector } from '@logto/connector-kit';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * AWS SES: the official connector sends through the AWS SDK, ours signs its own request. For the
 * same config and message both reach the same SendEmail URL, signed by the same key for the same
 * region and service, with the same sender, recipient, identity ARNs, feedback address,
 * configuration set and subject. The official connector sends every template as `Html`; ours
 * sends plain-text templates as `Text` and HTML ones as `Html` plus `Text`: the content is the
 * same whenever the payload holds no markup.
 */

type Part = { Data: string; Charset?: string };
type SendEmailBody = {
  Content: { Simple: { Subject: Part; Body: { Html?: Part; Text?: Part } } };
  [field: string]: unknown;
};
type Received = { url: string; body: SendEmailBody; credential: string | undefined };
const received: Received[] = [];

useProviderMock(
  http.post('https://email.*.amazonaws.com/v2/email/outbound-emails', async ({ request }) => {
    received.push({
      url: request.url,
      body: (await request.json()) as SendEmailBody,
      credential: /Credential=([^,]+)/
        .exec(request.headers.get('authorization') ?? '')?.[1]
        ?.replace(/\/\d{8}\//, '/<date>/'),
    });
    return HttpResponse.json({ MessageId: 'm-1' });
  }),
);

const usageTypes = ['SignIn', 'Register', 'ForgotPassword', 'Generic'] as const;
const markupFree = fc.string({ maxLength: 30 }).map((text) => text.replace(/[&<>"'\r\n]/g, ''));

const configArbitrary = fc.record({
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'),
  html: fc.boolean(),
  arns: fc.boolean(),
  configurationSetName: fc.option(fc.constantFrom('logto', 'transactional'), { nil: undefined }),
});

type ConfigSettings = typeof configArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

const configOf = ({ region, html, arns, configurationSetName }: ConfigSettings) => ({
  accessKeyId: 'AKIADIFFERENTIAL0000',
  accessKeySecret: 'differential-secret-access-key',
  region,
  emailAddress: 'no-reply@example.com',
  feedbackForwardingEmailAddress: 'bounces@example.com',
  ...(arns && {
    emailAddressIdentityArn: `arn:aws:ses:${region}:123456789012:identity/example.com`,
    feedbackForwardingEmailAddressIdentityArn: `arn:aws:ses:${region}:123456789012:identity/example.com`,
  }),
  ...(configurationSetName && { configurationSetName }),
  templates: usageTypes.map((usageType) => ({
    usageType,
    subject: `${usageType}: {{code}}.`,
    content: html
      ? `<p>Code <b>{{code}}</b> for {{application.name}}</p>`
      : `Code {{code}} for {{application.name}}.`,
  })),
});

const load = async (module: unknown, config: unknown) =>
  (await officialFactory<EmailConnector>(module)({
    getConfig: async () => config,
    getI18nEmailTemplate: async () => undefined,
  })) as EmailConnector;

const message = fc.record({
  to: fc.emailAddress().filter((address) => address.length <= 254),
  type: fc.constantFrom(...usageTypes),
  payload: fc.record({ code: markupFree, application: fc.record({ name: markupFree }) }),
});

describe('AWS SES: same SendEmail as @logto/connector-aws-ses', () => {
  it('sends the same fields and content over 100 fuzzed configs and messages', {
    timeout: 120_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(configArbitrary, message, async (settings, data) => {
        const config = configOf(settings);
        received.length = 0;
        await (await load(official, config)).sendMessage(data as never);
        await (await load({ default: createIdplugAwsSes }, config)).sendMessage(data as never);
        expect(received).toHaveLength(2);
        const [theirs, ours] = received as [Received, Received];
        expect(ours.url).toBe(theirs.url);
        expect(ours.credential).toBe(theirs.credential);
        const { Content: theirContent, ...theirFields } = theirs.body;
        const { Content: ourContent, ...ourFields } = ours.body;
        expect(ourFields).toEqual(theirFields);
        expect(ourContent.Simple.Subject.Data).toBe(theirContent.Simple.Subject.Data);
        const theirHtml = theirContent.Simple.Body.Html?.Data;
        const ourBody = ourContent.Simple.Body;
        if (settings.html) {
          expect(ourBody.Html?.Data).toBe(theirHtml);
          expect(ourBody.Text?.Data).not.toMatch(/<[a-z]/);
        } else {
          expect(ourBody.Html).toBeUndefined();
          expect(ourBody.Text?.Data).toBe(theirHtml);
        }
      }),
      { numRuns: 100, ...(process.env.CI && { seed: 2_025_12_01 }) },
    );
  });
});
