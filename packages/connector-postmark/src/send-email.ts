import type { EmailSendContext, RenderedEmail } from '@idplug/base';
import type { PostmarkConfig } from './config';
import { apiOrigin, defaultMessageStream } from './constants';
import { readPostmarkError } from './errors';

/**
 * Two ways to send (https://postmarkapp.com/developer/api/email-api and .../templates-api):
 * a config template with a `templateAlias` goes to `/email/withTemplate` with Logto's payload as
 * the `TemplateModel` (what the official connector does); every other template is rendered here
 * and goes to `/email` with `TextBody`, plus `HtmlBody` for HTML templates.
 */

export type PostmarkSendResult = { MessageID?: string };

const originOf = (config: PostmarkConfig) => (config.endpoint ?? apiOrigin).replace(/\/+$/, '');

export const emailBody = (message: RenderedEmail, config: PostmarkConfig) => ({
  From: message.from
    ? `${JSON.stringify(message.from)} <${config.fromEmail.trim()}>`
    : config.fromEmail.trim(),
  To: message.to,
  Subject: message.subject,
  TextBody: message.text,
  ...(message.html !== undefined && { HtmlBody: message.html }),
  ...(message.replyTo && { ReplyTo: message.replyTo }),
  MessageStream: config.messageStream ?? defaultMessageStream,
});

export const withTemplateBody = (
  to: string,
  templateAlias: string,
  payload: unknown,
  config: PostmarkConfig,
) => ({
  From: config.fromEmail.trim(),
  To: to,
  TemplateAlias: templateAlias,
  TemplateModel: payload,
  MessageStream: config.messageStream ?? defaultMessageStream,
});

export const sendEmail = async (
  message: RenderedEmail,
  { config, data, template, http, redactor }: EmailSendContext<PostmarkConfig>,
): Promise<string | undefined> => {
  // `serverToken` is not a key name base's redactor recognizes as secret.
  redactor.add(config.serverToken).add(config.serverToken.trim());
  const { templateAlias } = template as { templateAlias?: string };
  const useAlias = template.source !== 'i18n' && templateAlias !== undefined;
  const response = await http.request<string>({
    method: 'POST',
    url: `${originOf(config)}${useAlias ? '/email/withTemplate' : '/email'}`,
    purpose: 'send',
    headers: { 'x-postmark-server-token': config.serverToken.trim() },
    json: useAlias
      ? withTemplateBody(message.to, templateAlias, data.payload, config)
      : emailBody(message, config),
    responseType: 'text',
    readProviderError: readPostmarkError,
  });
  try {
    return (JSON.parse(response.body) as PostmarkSendResult).MessageID;
  } catch {
    return undefined;
  }
};
