import type { EmailTemplateDetails, GetI18nEmailTemplate } from '@logto/connector-kit';

/**
 * Which template answered a test send, and why. Logto's own order (base's `chooseEmailTemplate`
 * and `chooseConfigTemplate`): a localized template from Logto (`getI18nEmailTemplate`, email
 * only) when it has one for the type and locale, then the config's template for the usage type,
 * then its `Generic` one. The first is reported by the connector itself, through the hook the
 * playground hands it; the others are read from the config the connector ran with.
 */

export type TemplateReport = {
  /** The usage type the send asked for. */
  usageType: string;
  locale: string | undefined;
  answeredBy: 'i18n' | 'type' | 'generic' | 'not-reported';
  /** For the page, after "asked for <usage type>;". */
  explanation: string;
};

/**
 * The localized templates the playground's stand-in for Logto keeps: French, for every usage type,
 * so choosing the locale `fr` shows the i18n path.
 */
export const localizedEmailTemplates: Record<string, EmailTemplateDetails> = {
  fr: {
    subject: 'Votre code de vérification',
    content: '<p>Votre code de vérification est <strong>{{code}}</strong>.</p>',
    contentType: 'text/html',
  },
};

/** Logto's `getI18nEmailTemplate`, recording whether the connector asked and got an answer. */
export const createI18nTemplateRecorder = (
  templates: Record<string, EmailTemplateDetails> = localizedEmailTemplates,
) => {
  const asked: Array<{ type: string; locale: string | undefined; answered: boolean }> = [];
  const getI18nEmailTemplate = (async (type, locale) => {
    const template = locale === undefined ? undefined : templates[locale];
    asked.push({ type, locale, answered: template !== undefined });
    return template;
  }) as GetI18nEmailTemplate;
  return {
    getI18nEmailTemplate,
    /** The calls the connector made, in order. */
    asked,
  };
};

type TemplateList = ReadonlyArray<{ usageType?: unknown }>;

/** The usage types a config has templates for: a `templates` list, or Mailgun's `deliveries` map. */
const templateTypesOf = (config: Record<string, unknown>): string[] | undefined => {
  if (Array.isArray(config.templates)) {
    return (config.templates as TemplateList).flatMap(({ usageType }) =>
      typeof usageType === 'string' ? [usageType] : [],
    );
  }
  if (config.deliveries && typeof config.deliveries === 'object') {
    return Object.keys(config.deliveries);
  }
  return undefined;
};

export const reportTemplate = ({
  usageType,
  locale,
  config,
  i18nAnswered,
}: {
  usageType: string;
  locale: string | undefined;
  config: Record<string, unknown>;
  /** Whether the connector asked `getI18nEmailTemplate` and got a template. */
  i18nAnswered: boolean;
}): TemplateReport => {
  const report = (answeredBy: TemplateReport['answeredBy'], explanation: string) => ({
    usageType,
    locale,
    answeredBy,
    explanation,
  });
  if (i18nAnswered) {
    return report(
      'i18n',
      `Logto's localized template for ${usageType} in ${locale} (getI18nEmailTemplate answered).`,
    );
  }
  const types = templateTypesOf(config);
  if (types === undefined) {
    return report(
      'not-reported',
      'not reported: the connector keeps no templates, it hands the usage type and payload to the endpoint.',
    );
  }
  if (types.includes(usageType)) {
    return report('type', `the config's ${usageType} template answered.`);
  }
  return report(
    'generic',
    `no ${usageType} template in the config: the Generic template answered (fallback).`,
  );
};
