import { type RenderedEmail, singleLine } from '@idplug/base';
import type { SendMailOptions } from 'nodemailer';
import DKIM from 'nodemailer/lib/dkim';
import MailComposer from 'nodemailer/lib/mail-composer';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SmtpConfig } from './config';

/**
 * Headers `customHeaders` may not set: the addressing and MIME structure of a verification email
 * come from the template and the recipient check (a stray `Bcc` would copy every code elsewhere).
 */
const reservedHeaders = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'sender',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

// RFC 5322 §2.2: a field name is printable US-ASCII except the colon.
const headerNamePattern = /^[!-9;-~]+$/;

const headersOf = (custom: SmtpConfig['customHeaders']): Record<string, string | string[]> => {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(custom ?? {})) {
    if (!headerNamePattern.test(name) || reservedHeaders.has(name.toLowerCase())) {
      continue;
    }
    headers[name] = Array.isArray(value) ? value.map(singleLine) : singleLine(value);
  }
  return headers;
};

/** nodemailer's message for a rendered email: the template's sender and reply-to win over the config's. */
export const mailOptionsOf = (message: RenderedEmail, config: SmtpConfig): SendMailOptions => {
  const headers = headersOf(config.customHeaders);
  const replyTo = message.replyTo ?? config.replyTo;
  return {
    from: message.from ?? config.fromEmail,
    to: message.to,
    ...(replyTo && { replyTo }),
    subject: message.subject,
    text: message.text,
    ...(message.html !== undefined && { html: message.html }),
    ...(Object.keys(headers).length > 0 && { headers }),
  };
};

/** How long one send may take in all, queueing for a pooled connection included. */
export const sendDeadlineOf = (config: SmtpConfig): number =>
  config.sendTimeout ??
  Math.max(config.connectionTimeout + config.greetingTimeout, config.socketTimeout);

/**
 * The MIME message, its SMTP envelope and Message-ID, built by nodemailer's composer (as its
 * transports do) and DKIM-signed when configured (RFC 6376). Messages are built from strings
 * only: file and URL content is refused whatever the config says.
 */
export const compileMessage = (
  mail: SendMailOptions,
  dkim: ConstructorParameters<typeof DKIM>[0] | undefined,
) => {
  const message = new MailComposer({
    ...(mail as ConstructorParameters<typeof MailComposer>[0]),
    disableFileAccess: true,
    disableUrlAccess: true,
  } as ConstructorParameters<typeof MailComposer>[0]).compile();
  if (dkim) {
    const signer = new DKIM(dkim);
    message.processFunc((input) => signer.sign(input));
  }
  return {
    message,
    envelope: message.getEnvelope() as SMTPConnection.Envelope,
    messageId: message.messageId(),
  };
};
