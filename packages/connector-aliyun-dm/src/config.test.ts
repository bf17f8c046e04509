import { parseConfig } from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { aliyunDmConfigGuard } from './config';
import { metadata, regionIds, regions } from './constants';

const officialTemplates = ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
  usageType,
  subject: `<${usageType}-subject>`,
  content: `Your Logto ${usageType} code is {{code}}.`,
}));

const officialConfig = {
  accessKeyId: 'LTAI-id',
  accessKeySecret: 'secret-value',
  accountName: 'no-reply@mail.example.com',
  templates: officialTemplates,
};

const parse = (config: unknown) => aliyunDmConfigGuard.safeParse(config);

describe('config guard', () => {
  it('accepts the configs the official connector accepts, unchanged', () => {
    expect(parse(officialConfig).success).toBe(true);
    for (const regionId of regionIds) {
      expect(parse({ ...officialConfig, regionId, fromAlias: 'Logto' }).success).toBe(true);
    }
    // The official guard requires nothing of the strings: empty ones are refused at send time.
    expect(parse({ ...officialConfig, accessKeyId: '', fromAlias: '' }).success).toBe(true);
  });

  it('keeps the stored values as they are', () => {
    const config = { ...officialConfig, regionId: 'eu-central-1', fromAlias: 'Logto' };
    expect(parseConfig(aliyunDmConfigGuard, config)).toEqual(config);
  });

  it('accepts a 15-character FromAlias and refuses a 16-character one, counting characters', () => {
    expect(parse({ ...officialConfig, fromAlias: 'a'.repeat(15) }).success).toBe(true);
    expect(
      parse({ ...officialConfig, fromAlias: '阿里云邮件推送验证码服务中心通知' }).success,
    ).toBe(false);
    expect(parse({ ...officialConfig, fromAlias: '阿里云邮件推送验证码服务中心通' }).success).toBe(
      true,
    );
    expect(parse({ ...officialConfig, fromAlias: 'a'.repeat(16) }).success).toBe(false);
  });

  it('refuses a FromAlias with a line break', () => {
    expect(parse({ ...officialConfig, fromAlias: 'Logto\r\nBcc: x' }).success).toBe(false);
  });

  it('explains a too-long FromAlias with its path', () => {
    const error = (() => {
      try {
        parseConfig(aliyunDmConfigGuard, { ...officialConfig, fromAlias: 'x'.repeat(40) });
      } catch (error: unknown) {
        return error;
      }
    })() as { code: string; data: { message: string } };
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data.message).toContain('fromAlias: Aliyun Direct Mail accepts at most 15');
  });

  it('requires the Generic template every usage type falls back to', () => {
    expect(parse({ ...officialConfig, templates: officialTemplates.slice(0, 3) }).success).toBe(
      false,
    );
    expect(parse({ ...officialConfig, templates: officialTemplates.slice(3) }).success).toBe(true);
  });

  it('refuses an unknown region', () => {
    expect(parse({ ...officialConfig, regionId: 'cn-shanghai' }).success).toBe(false);
  });

  it('accepts an http(s) endpoint, reads a blank one as unset and refuses others', () => {
    const vpc = parse({ ...officialConfig, endpoint: 'https://dm-vpc.cn-hangzhou.aliyuncs.com/' });
    expect(vpc.success && vpc.data.endpoint).toBe('https://dm-vpc.cn-hangzhou.aliyuncs.com/');
    const blank = parse({ ...officialConfig, endpoint: '  ' });
    expect(blank.success && blank.data.endpoint).toBeUndefined();
    expect(parse({ ...officialConfig, endpoint: 'ftp://proxy.internal/' }).success).toBe(false);
    expect(parse({ ...officialConfig, endpoint: 'dm.aliyuncs.com' }).success).toBe(false);
  });

  it('reads the timeout as milliseconds within 1 to 60 seconds, from a number or a string', () => {
    const fromString = parse({ ...officialConfig, timeout: '5000' });
    expect(fromString.success && fromString.data.timeout).toBe(5000);
    expect(parse({ ...officialConfig, timeout: 120_000 }).success).toBe(false);
    expect(parse({ ...officialConfig, timeout: 10 }).success).toBe(false);
  });

  it('validates replyToAddress as one email address', () => {
    expect(parse({ ...officialConfig, replyToAddress: 'support@example.com' }).success).toBe(true);
    expect(parse({ ...officialConfig, replyToAddress: 'a@x.com, b@y.com' }).success).toBe(false);
  });
});

describe('metadata', () => {
  it("keeps the official connector's id and target", () => {
    expect(metadata.id).toBe('aliyun-direct-mail');
    expect(metadata.target).toBe('aliyun-dm');
  });

  it('labels every region by its real location', () => {
    const regionItem = metadata.formItems?.find(({ key }) => key === 'regionId');
    const items: Array<{ value: string; title?: string }> =
      regionItem && 'selectItems' in regionItem ? regionItem.selectItems : [];
    const titles = Object.fromEntries(items.map(({ value, title }) => [value, title]));
    expect(titles).toEqual({
      'cn-hangzhou': 'China (Hangzhou)',
      'ap-southeast-1': 'Singapore',
      'ap-southeast-2': 'Australia (Sydney), closed to new senders',
      'eu-central-1': 'Germany (Frankfurt)',
      'us-east-1': 'US (Virginia)',
    });
    expect(regions['ap-southeast-2'].host).toBe('dm.ap-southeast-2.aliyuncs.com');
  });
});
