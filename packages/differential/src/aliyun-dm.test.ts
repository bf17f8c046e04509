import createIdplugAliyunDm from '@idplug/connector-aliyun-dm';
import { type AliyunDmMail, aliyunDmHandlers, createAliyunDmBackend } from '@idplug/emulators';
import { useProviderMock } from '@idplug/testing';
import * as officialModule from '@logto/connector-aliyun-dm';
import { type GetI18nEmailTemplate, TemplateType } from '@logto/connector-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeMessage, htmlCodeTemplates, sendThroughBoth } from './email-differential';
import { consoleStoredConfig } from './official-connector';

/**
 * Aliyun Direct Mail: for the same stored config and message, SingleSendMail receives the same
 * request from idplug as from `@logto/connector-aliyun-dm` 1.6.1: same region host, AccessKey,
 * sender, recipient, FromAlias, subject and body (so the same code), each correctly signed (the
 * emulator verifies both signatures). Only the per-request values differ (`Signature`,
 * `SignatureNonce`, `Timestamp`), and `Format` is `JSON` here, `json` there.
 *
 * Documented differences, asserted: the official connector sends every template as `HtmlBody`;
 * ours sends a plain-text template (no markup, no `contentType: text/html`) as `TextBody`, the
 * same text. And ours escapes payload values inside an HTML body (the official connector inserts
 * them raw, so a `<` in an application name becomes markup).
 */

const accessKeyId = 'LTAI-differential-dm';
const accessKeySecret = 'differential-dm-access-key-secret';
const backend = createAliyunDmBackend({ accounts: { [accessKeyId]: accessKeySecret } });
useProviderMock(...aliyunDmHandlers(backend));

const usageTypes = Object.values(TemplateType);

const htmlTemplates = htmlCodeTemplates(usageTypes);

/** Sent once per message: who sent it first must not matter. */
const perRequest = ['Signature', 'SignatureNonce', 'Timestamp', 'Format', 'HtmlBody', 'TextBody'];
const comparable = (mail: AliyunDmMail) => ({
  host: mail.host,
  region: mail.region,
  params: Object.fromEntries(
    Object.entries(mail.params).filter(([name]) => !perRequest.includes(name)),
  ),
  format: mail.params.Format?.toUpperCase(),
  body: mail.htmlBody ?? mail.textBody,
});

const sendWithBoth = sendThroughBoth(
  { official: officialModule, ours: { default: createIdplugAliyunDm } },
  { reset: () => backend.reset(), received: () => backend.mails },
);

const settings = fc.record({
  regionId: fc.option(
    fc.constantFrom('cn-hangzhou', 'ap-southeast-1', 'ap-southeast-2', 'eu-central-1', 'us-east-1'),
    { nil: undefined },
  ),
  fromAlias: fc.option(fc.constantFrom('Example', 'Zoë 商店', 'Support Team'), { nil: undefined }),
  html: fc.boolean(),
});
const message = codeMessage(
  ['ada@example.com', 'Ada.Lovelace+logto@mail.example.org', 'user_01@sub.example.cn'],
  usageTypes,
  ['en', 'zh-CN'],
);

describe('Aliyun Direct Mail: same SingleSendMail as @logto/connector-aliyun-dm', () => {
  it('sends the same parameters over 100 fuzzed configs and messages', {
    timeout: 120_000,
  }, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(settings, message, async ({ regionId, fromAlias, html }, data) => {
        const config = await consoleStoredConfig(officialModule, {
          accessKeyId,
          accessKeySecret,
          accountName: 'no-reply@mail.example.com',
          ...(regionId && { regionId }),
          ...(fromAlias && { fromAlias }),
          // Plain text: the official console's own default templates.
          ...(html && { templates: htmlTemplates }),
        });
        const [theirs, ours] = await sendWithBoth(config, data);
        expect(comparable(ours)).toEqual(comparable(theirs));
        expect(theirs.htmlBody).toContain(data.payload.code);
        if (html) {
          expect(ours.htmlBody).toBe(theirs.htmlBody);
        } else {
          expect(ours.htmlBody).toBeUndefined();
          expect(ours.textBody).toBe(theirs.htmlBody);
        }
        compared += 1;
      }),
      { numRuns: 100, ...(process.env.CI && { seed: 2_026_12_01 }) },
    );
    expect(compared).toBe(100);
  });

  it("uses Logto's localized template and its sender name the same way", async () => {
    const config = await consoleStoredConfig(officialModule, {
      accessKeyId,
      accessKeySecret,
      accountName: 'no-reply@mail.example.com',
      fromAlias: 'Config alias',
    });
    const localized: GetI18nEmailTemplate = async (type, locale) => ({
      subject: `[${locale}] ${type}: {{code}}`,
      content: '<p>Code <b>{{code}}</b> for {{application.name}}</p>',
      sendFrom: '{{application.name}} team',
      contentType: 'text/html',
    });
    const data = {
      to: 'ada@example.com',
      type: 'Register',
      payload: { code: '482913', locale: 'de', application: { name: 'Acme' } },
    };
    const [theirs, ours] = await sendWithBoth(config, data, localized);
    expect(comparable(ours)).toEqual(comparable(theirs));
    expect(ours.fromAlias).toBe('Acme team');
    expect(ours.subject).toBe('[de] Register: 482913');
  });

  it('escapes payload markup in an HTML body where the official connector inserts it raw', async () => {
    const config = await consoleStoredConfig(officialModule, {
      accessKeyId,
      accessKeySecret,
      accountName: 'no-reply@mail.example.com',
      templates: htmlTemplates,
    });
    const data = {
      to: 'ada@example.com',
      type: 'SignIn',
      payload: { code: '123456', application: { name: '<img src=x onerror=alert(1)>' } },
    };
    const [theirs, ours] = await sendWithBoth(config, data);
    expect(theirs.htmlBody).toContain('<b><img src=x onerror=alert(1)></b>');
    expect(ours.htmlBody).toContain('<b>&lt;img src=x onerror=alert(1)&gt;</b>');
    // The subject is text, not HTML: the same for both.
    expect(ours.subject).toBe(theirs.subject);
  });
});
