import type { GetI18nEmailTemplate, TemplateType } from '@logto/connector-kit';
import { chooseConfigTemplate } from '../passwordless/send-message';
import { assertSingleEmailRecipient, singleLine } from './recipient';
import { htmlTemplateToText, looksLikeHtml, renderTemplate } from './render';

/** A template as stored in a connector config (SMTP and Aliyun DM share this shape). */
export type ConfigEmailTemplate = {
  usageType: string;
  subject: string;
  content: string;
  contentType?: 'text/html' | 'text/plain' | string;
  replyTo?: string;
  sendFrom?: string;
};

export type ChosenTemplate = ConfigEmailTemplate & { source: 'i18n' | 'config' | 'generic' };

/**
 * Which template to send: Logto's localized template for the type and locale first (edited in the
 * console), then the config's template for the type, then the config's `Generic` one.
 */
export const chooseEmailTemplate = async ({
  type,
  locale,
  templates,
  getI18nEmailTemplate,
}: {
  type: string;
  locale?: string | undefined;
  templates: readonly ConfigEmailTemplate[] | undefined;
  getI18nEmailTemplate?: GetI18nEmailTemplate | undefined;
}): Promise<ChosenTemplate> => {
  if (getI18nEmailTemplate) {
    try {
      const localized = await getI18nEmailTemplate(type as TemplateType, locale);
      if (localized?.content) {
        return { ...localized, usageType: type, source: 'i18n' };
      }
    } catch {
      // A failing template store must not block the code: fall back to the config's templates.
    }
  }
  return chooseConfigTemplate(type, templates, 'email');
};

export type RenderedEmail = {
  to: string;
  subject: string;
  /** Always present: the whole message for text templates, the alternative part for HTML ones. */
  text: string;
  /** Present for HTML templates, with payload values escaped. */
  html?: string;
  replyTo?: string;
  from?: string;
};

/** Renders a chosen template for one recipient. */
export const renderEmail = (
  template: ConfigEmailTemplate,
  to: unknown,
  payload: Record<string, unknown>,
): RenderedEmail => {
  const recipient = assertSingleEmailRecipient(to);
  const isHtml =
    template.contentType === 'text/html' ||
    (template.contentType !== 'text/plain' && looksLikeHtml(template.content));
  const subject = singleLine(renderTemplate(template.subject, payload, 'text'));
  const replyTo = template.replyTo
    ? singleLine(renderTemplate(template.replyTo, payload, 'text'))
    : undefined;
  const from = template.sendFrom
    ? singleLine(renderTemplate(template.sendFrom, payload, 'text'))
    : undefined;
  return {
    to: recipient,
    subject,
    text: renderTemplate(
      isHtml ? htmlTemplateToText(template.content) : template.content,
      payload,
      'text',
    ),
    ...(isHtml && { html: renderTemplate(template.content, payload, 'html') }),
    ...(replyTo && { replyTo }),
    ...(from && { from }),
  };
};
