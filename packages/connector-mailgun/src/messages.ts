import {
  type ConfigEmailTemplate,
  type EmailSendContext,
  type RenderedEmail,
  renderTemplate,
} from '@idplug/base';
import type { MailgunConfig } from './config';
import { regionOrigins } from './constants';
import { readMailgunError } from './errors';

/**
 * One `POST /v3/<domain>/messages` (https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/tag/Messages/),
 * form-encoded, Basic `api:<key>`. A delivery written here sends `html` with a `text` part (its own
 * `text` template, else the one base derives from the HTML); a Mailgun template sends `template`
 * with `X-Mailgun-Variables`, the delivery's variables overlaid by Logto's payload, as the official
 * connector does.
 */

/** A delivery as base's email plumbing reads it, with what a Mailgun delivery adds. */
export type MailgunTemplate = ConfigEmailTemplate & {
  textContent?: string;
  mailgunTemplate?: string;
  variables?: Record<string, unknown>;
};

export const templatesOfDeliveries = (config: MailgunConfig): MailgunTemplate[] =>
  Object.entries(config.deliveries).map(([usageType, delivery]) =>
    'template' in delivery
      ? {
          usageType,
          subject: delivery.subject ?? '',
          content: '',
          ...(delivery.replyTo && { replyTo: delivery.replyTo }),
          mailgunTemplate: delivery.template,
          ...(delivery.variables && { variables: delivery.variables }),
        }
      : {
          usageType,
          subject: delivery.subject ?? '',
          content: delivery.html,
          contentType: 'text/html',
          ...(delivery.replyTo && { replyTo: delivery.replyTo }),
          ...(delivery.text !== undefined && { textContent: delivery.text }),
        },
  );

export const messagesUrl = (config: MailgunConfig): string =>
  `${(config.endpoint ?? regionOrigins[config.region ?? 'us']).replace(/\/+$/, '')}/v3/${encodeURIComponent(config.domain.trim())}/messages`;

/** The address inside `Name <address>`, or the value itself. */
const addressOf = (from: string) => /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();

export const messageForm = (
  message: RenderedEmail,
  { config, data, template }: Pick<EmailSendContext<MailgunConfig>, 'config' | 'data' | 'template'>,
): Record<string, string | undefined> => {
  const chosen = template as typeof template & MailgunTemplate;
  const fromConfig = chosen.source === 'i18n' ? undefined : chosen;
  const common = {
    // A localized template's sender name (`sendFrom`) replaces the configured display name.
    from: message.from
      ? `${JSON.stringify(message.from)} <${addressOf(config.from)}>`
      : config.from,
    to: message.to,
    subject: message.subject || undefined,
    'h:Reply-To': message.replyTo,
  };
  if (fromConfig?.mailgunTemplate !== undefined) {
    return {
      ...common,
      template: fromConfig.mailgunTemplate,
      'h:X-Mailgun-Variables': JSON.stringify({ ...fromConfig.variables, ...data.payload }),
    };
  }
  return {
    ...common,
    html: message.html,
    text:
      fromConfig?.textContent === undefined
        ? message.text
        : renderTemplate(fromConfig.textContent, data.payload, 'text'),
  };
};

export const sendMessage = async (
  message: RenderedEmail,
  context: EmailSendContext<MailgunConfig>,
): Promise<string | undefined> => {
  const { config, http, redactor } = context;
  const key = config.apiKey.trim();
  // The Basic header carries `api:<key>`, which base's redactor does not know by value.
  redactor.add(Buffer.from(`api:${key}`).toString('base64'));
  const response = await http.request<string>({
    method: 'POST',
    url: messagesUrl(config),
    purpose: 'send',
    headers: { authorization: `Basic ${Buffer.from(`api:${key}`).toString('base64')}` },
    form: messageForm(message, context),
    responseType: 'text',
    readProviderError: readMailgunError,
  });
  try {
    return (JSON.parse(response.body) as { id?: string }).id;
  } catch {
    return undefined;
  }
};
