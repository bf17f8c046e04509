import { describe, expect, it } from 'vitest';
import { createI18nTemplateRecorder, reportTemplate } from './template-report';

const templates = [{ usageType: 'Generic' }, { usageType: 'SignIn' }];

describe('which template answered a test send', () => {
  it("names Logto's localized template when getI18nEmailTemplate answered", () => {
    const report = reportTemplate({
      usageType: 'SignIn',
      locale: 'fr',
      config: { templates },
      i18nAnswered: true,
    });
    expect(report).toMatchObject({ answeredBy: 'i18n', usageType: 'SignIn', locale: 'fr' });
    expect(report.explanation).toContain('getI18nEmailTemplate');
  });

  it("names the config's template for the usage type", () => {
    expect(
      reportTemplate({
        usageType: 'SignIn',
        locale: 'en',
        config: { templates },
        i18nAnswered: false,
      }).answeredBy,
    ).toBe('type');
  });

  it('names the Generic fallback when the config has no template for the usage type', () => {
    const report = reportTemplate({
      usageType: 'BindMfa',
      locale: undefined,
      config: { templates },
      i18nAnswered: false,
    });
    expect(report.answeredBy).toBe('generic');
    expect(report.explanation).toContain('no BindMfa template');
  });

  it("reads Mailgun's deliveries, keyed by usage type, as templates", () => {
    const config = { deliveries: { Generic: {}, Register: {} } };
    expect(
      reportTemplate({ usageType: 'Register', locale: undefined, config, i18nAnswered: false })
        .answeredBy,
    ).toBe('type');
    expect(
      reportTemplate({ usageType: 'SignIn', locale: undefined, config, i18nAnswered: false })
        .answeredBy,
    ).toBe('generic');
  });

  it('says it is not reported for a connector that hands the usage type to an endpoint', () => {
    expect(
      reportTemplate({
        usageType: 'SignIn',
        locale: undefined,
        config: { endpoint: 'http://127.0.0.1:1/sms' },
        i18nAnswered: false,
      }).answeredBy,
    ).toBe('not-reported');
  });

  it('records what the connector asked Logto for, and answers only for a known locale', async () => {
    const recorder = createI18nTemplateRecorder({
      de: { subject: 'Ihr Code', content: '{{code}}' },
    });
    expect(await recorder.getI18nEmailTemplate('SignIn' as never, 'de')).toMatchObject({
      subject: 'Ihr Code',
    });
    expect(await recorder.getI18nEmailTemplate('SignIn' as never, 'en')).toBeUndefined();
    expect(await recorder.getI18nEmailTemplate('SignIn' as never)).toBeUndefined();
    expect(recorder.asked).toEqual([
      { type: 'SignIn', locale: 'de', answered: true },
      { type: 'SignIn', locale: 'en', answered: false },
      { type: 'SignIn', locale: undefined, answered: false },
    ]);
  });
});
