import type { EmailSendContext, RenderedEmail } from '@idplug/base';
import type { SendGridConfig } from './config';
import { apiOrigins, mailSendPath } from './constants';
import { readSendGridError } from './errors';

/**
 * One Mail Send v3 request. `content` holds `text/plain` first, then `text/html` for HTML
 * templates (SendGrid requires that order), so every HTML message also has a text part.
 */

export const mailSendUrl = (config: SendGridConfig): string =>
  `${(config.endpoint ?? apiOrigins[config.region ?? 'global']).replace(/\/+$/, '')}${mailSendPath}`;

export const mailSendBody = (message: RenderedEmail, config: SendGridConfig) => {
  // A localized template's sender name (`sendFrom`) wins over the configured one.
  const fromName = message.from || config.fromName;
  return {
    personalizations: [{ to: [{ email: message.to }] }],
    from: { email: config.fromEmail.trim(), ...(fromName && { name: fromName }) },
    ...(message.replyTo && { reply_to: { email: message.replyTo } }),
    subject: message.subject,
    content: [
      { type: 'text/plain', value: message.text },
      ...(message.html === undefined ? [] : [{ type: 'text/html', value: message.html }]),
    ],
  };
};

export const sendMail = async (
  message: RenderedEmail,
  { config, http }: Pick<EmailSendContext<SendGridConfig>, 'config' | 'http'>,
): Promise<string | undefined> => {
  const response = await http.request({
    method: 'POST',
    url: mailSendUrl(config),
    purpose: 'send',
    headers: { authorization: `Bearer ${config.apiKey.trim()}` },
    json: mailSendBody(message, config),
    // 202 Accepted with an empty body; errors are JSON, read by readSendGridError.
    responseType: 'text',
    readProviderError: readSendGridError,
  });
  return response.headers.get('x-message-id') ?? undefined;
};
