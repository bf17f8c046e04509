import {
  bearerTokenOf,
  createEmailApiBackend,
  type EmailApiAnswer,
  type EmailApiBackend,
  type EmailApiEmulator,
  emailApiHandlers,
  startEmailApiEmulator,
} from './email-api';
import { safeEqual } from './emulator-http';

/**
 * SendGrid Mail Send v3 (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send):
 * Bearer API key, JSON body with personalizations, from, subject and content (text/plain before
 * text/html), verified sender identities; 202 with `X-Message-Id`, errors as `{ errors: [...] }`.
 */

export const sendGridOrigins = ['https://api.sendgrid.com', 'https://api.eu.sendgrid.com'] as const;

export type SendGridEmulatorOptions = {
  apiKeys: readonly string[];
  /** Verified Sender Identities; any sender when absent. */
  senders?: readonly string[];
};

const errors = (status: number, message: string, field: string | null = null): EmailApiAnswer => ({
  status,
  json: { errors: [{ message, field, help: null }] },
});

type Address = { email?: unknown; name?: unknown };
type Content = { type?: unknown; value?: unknown };

export const createSendGridBackend = (options: SendGridEmulatorOptions): EmailApiBackend =>
  createEmailApiBackend({
    provider: 'SendGrid',
    origins: sendGridOrigins,
    routes: [
      {
        path: '/v3/mail/send',
        body: 'json',
        authenticate: (request) => {
          const key = bearerTokenOf(request) ?? '';
          return options.apiKeys.some((known) => safeEqual(known, key))
            ? undefined
            : errors(401, 'The provided authorization grant is invalid, expired, or revoked');
        },
        accept: ({ body, headers }) => {
          const { personalizations, from, subject, content, reply_to } = (body ?? {}) as {
            personalizations?: Array<{ to?: Address[] }>;
            from?: Address;
            subject?: unknown;
            content?: Content[];
            reply_to?: Address;
          };
          const to = Array.isArray(personalizations)
            ? personalizations.flatMap(({ to }) => (Array.isArray(to) ? to : []))
            : [];
          if (to.length === 0 || !to.every(({ email }) => typeof email === 'string')) {
            return errors(
              400,
              'The to array is required for all personalization objects',
              'personalizations.0.to',
            );
          }
          if (typeof from?.email !== 'string') {
            return errors(400, 'The from object must be provided for every email send.', 'from');
          }
          if (options.senders && !options.senders.includes(from.email)) {
            return errors(
              403,
              'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.',
              'from',
            );
          }
          if (typeof subject !== 'string' || subject === '') {
            return errors(400, 'The subject is required.', 'subject');
          }
          if (!Array.isArray(content) || content.length === 0) {
            return errors(
              400,
              'The content value must be a string at least one character in length.',
              'content',
            );
          }
          const types = content.map(({ type }) => type);
          if (
            types.includes('text/html') &&
            types[0] !== 'text/plain' &&
            types.includes('text/plain')
          ) {
            return errors(
              400,
              'If present, text/plain must be first, followed by text/html.',
              'content',
            );
          }
          const partOf = (type: string) => {
            const value = content.find((part) => part.type === type)?.value;
            return typeof value === 'string' ? value : undefined;
          };
          const text = partOf('text/plain');
          const html = partOf('text/html');
          return {
            from: from.email,
            to: to.map(({ email }) => email as string),
            subject,
            ...(text !== undefined && { text }),
            ...(html !== undefined && { html }),
            ...(typeof reply_to?.email === 'string' && { replyTo: reply_to.email }),
            body,
            headers,
          };
        },
        respond: ({ id }) => ({ status: 202, headers: { 'x-message-id': id } }),
      },
    ],
  });

/** msw handlers answering SendGrid's real origins (global and EU). */
export const sendGridHandlers = (backend: EmailApiBackend) =>
  emailApiHandlers(backend, sendGridOrigins);

/** SendGrid on 127.0.0.1, with a connector config pointing at it. */
export const startSendGridEmulator = async (
  options: SendGridEmulatorOptions,
): Promise<EmailApiEmulator & { config: Record<string, unknown> }> => {
  const emulator = await startEmailApiEmulator(createSendGridBackend(options));
  return {
    ...emulator,
    config: {
      apiKey: options.apiKeys[0],
      fromEmail: options.senders?.[0] ?? 'no-reply@example.com',
      endpoint: emulator.url,
      templates: [
        {
          usageType: 'Generic',
          type: 'text/html',
          subject: 'Your verification code',
          content: '<p>Your verification code is <strong>{{code}}</strong>.</p>',
        },
      ],
    },
  };
};
