import { connectorError, type EmailSendContext, type RenderedEmail } from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import type { AwsSesConfig } from './config';
import { regionEndpoint, sendEmailPath } from './constants';
import { readSesError } from './errors';
import { signRequest } from './sigv4';

/**
 * SES v2 SendEmail (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html):
 * one signed JSON POST with `Simple` content, `Text` always and `Html` for HTML templates, so every
 * HTML message also has a text part. The config's sender, identity ARNs, feedback address and
 * configuration set are passed as the official connector passes them.
 */

const utf8 = 'UTF-8';

export const sendEmailUrl = (config: AwsSesConfig): string =>
  `${(config.endpoint ?? regionEndpoint(config.region)).replace(/\/+$/, '')}${sendEmailPath}`;

/** The From: a localized template's sender name with the configured address, else the address. */
const fromOf = (message: RenderedEmail, address: string | undefined) => {
  if (!message.from || !address) {
    return address;
  }
  const bare = /<([^<>]+)>\s*$/.exec(address)?.[1] ?? address;
  // SES takes a non-ASCII display name only as an RFC 2047 encoded word (SendEmail's
  // FromEmailAddress); an ASCII one is quoted (RFC 5322 quoted-string).
  const name = /^[\x20-\x7e]*$/.test(message.from)
    ? `"${message.from.replace(/(["\\])/g, '\\$1')}"`
    : `=?UTF-8?B?${Buffer.from(message.from, 'utf8').toString('base64')}?=`;
  return `${name} <${bare}>`;
};

export const sendEmailBody = (message: RenderedEmail, config: AwsSesConfig) => ({
  FromEmailAddress: fromOf(message, config.emailAddress),
  FromEmailAddressIdentityArn: config.emailAddressIdentityArn,
  Destination: { ToAddresses: [message.to] },
  ...(message.replyTo && { ReplyToAddresses: [message.replyTo] }),
  FeedbackForwardingEmailAddress: config.feedbackForwardingEmailAddress,
  FeedbackForwardingEmailAddressIdentityArn: config.feedbackForwardingEmailAddressIdentityArn,
  ConfigurationSetName: config.configurationSetName,
  Content: {
    Simple: {
      Subject: { Data: message.subject, Charset: utf8 },
      Body: {
        Text: { Data: message.text, Charset: utf8 },
        ...(message.html !== undefined && { Html: { Data: message.html, Charset: utf8 } }),
      },
    },
  },
});

export const sendEmail = async (
  message: RenderedEmail,
  { config, http }: Pick<EmailSendContext<AwsSesConfig>, 'config' | 'http'>,
): Promise<string | undefined> => {
  for (const key of ['accessKeyId', 'accessKeySecret'] as const) {
    if (config[key].trim() === '') {
      throw connectorError(ConnectorErrorCodes.InvalidConfig, `\`${key}\` is empty`, {
        provider: 'AWS SES',
        stage: 'config',
      });
    }
  }
  const url = sendEmailUrl(config);
  const body = sendEmailBody(message, config);
  const headers = await signRequest({
    url,
    // JSON.stringify drops the unset (undefined) fields; the HTTP client serializes `json` the
    // same way, so the signed hash is the hash of the bytes sent.
    body: JSON.stringify(body),
    accessKeyId: config.accessKeyId.trim(),
    secretAccessKey: config.accessKeySecret.trim(),
    region: config.region,
  });
  const response = await http.request<string>({
    method: 'POST',
    url,
    purpose: 'send',
    headers,
    json: body,
    responseType: 'text',
    readProviderError: readSesError,
  });
  try {
    return (JSON.parse(response.body) as { MessageId?: string }).MessageId;
  } catch {
    return undefined;
  }
};
