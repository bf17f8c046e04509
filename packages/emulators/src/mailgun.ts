import {
  basicCredentialsOf,
  createEmailApiBackend,
  type EmailApiAnswer,
  type EmailApiBackend,
  type EmailApiEmulator,
  emailApiHandlers,
  startEmailApiEmulator,
} from './email-api';
import { safeEqual } from './emulator-http';

/**
 * Mailgun's `POST /v3/<domain>/messages` (https://documentation.mailgun.com/docs/mailgun/api-reference/):
 * Basic `api:<key>`, a form body with from, to, subject and at least one of text, html or template;
 * known sending domains; `{ id, message: "Queued. Thank you." }`, or `Forbidden` (401) and
 * `{ message }` errors. Served at the US and EU origins.
 */

export const mailgunOrigins = ['https://api.mailgun.net', 'https://api.eu.mailgun.net'] as const;

export type MailgunEmulatorOptions = {
  apiKeys: readonly string[];
  /** Sending domains; any when absent. */
  domains?: readonly string[];
};

const mailgunError = (status: number, message: string): EmailApiAnswer => ({
  status,
  json: { message },
});

const messagesPath = /^\/v3\/([^/]+)\/messages$/;

export const createMailgunBackend = (options: MailgunEmulatorOptions): EmailApiBackend =>
  createEmailApiBackend({
    provider: 'Mailgun',
    origins: mailgunOrigins,
    routes: [
      {
        path: messagesPath,
        body: 'form',
        authenticate: (request) => {
          const credentials = basicCredentialsOf(request);
          const known =
            credentials?.user === 'api' &&
            options.apiKeys.some((key) => safeEqual(key, credentials.password));
          return known ? undefined : { status: 401, text: 'Forbidden' };
        },
        accept: ({ url, body, headers }) => {
          const domain = decodeURIComponent(messagesPath.exec(url.pathname)?.[1] ?? '');
          if (options.domains && !options.domains.includes(domain)) {
            return mailgunError(404, `Domain not found: ${domain}`);
          }
          const form = (body ?? {}) as Record<string, string>;
          if (!form.from) {
            return mailgunError(400, "'from' parameter is missing");
          }
          if (!form.to) {
            return mailgunError(400, "'to' parameter is missing");
          }
          if (!/^[^@\s,<>]+@[^@\s,<>]+$/.test(form.to)) {
            return mailgunError(
              400,
              'to parameter is not a valid address. please check documentation',
            );
          }
          if (form.text === undefined && form.html === undefined && form.template === undefined) {
            return mailgunError(
              400,
              "Need at least one of 'text', 'html' or 'template' parameters specified",
            );
          }
          let variables: unknown;
          try {
            variables = form['h:X-Mailgun-Variables']
              ? JSON.parse(form['h:X-Mailgun-Variables'])
              : undefined;
          } catch {
            return mailgunError(400, 'X-Mailgun-Variables must be valid JSON');
          }
          return {
            from: form.from,
            to: [form.to],
            ...(form.subject !== undefined && { subject: form.subject }),
            ...(form.html !== undefined && { html: form.html }),
            ...(form.text !== undefined && { text: form.text }),
            ...(form['h:Reply-To'] !== undefined && { replyTo: form['h:Reply-To'] }),
            ...(form.template !== undefined && {
              template: { name: form.template, model: variables },
            }),
            body: form,
            headers,
          };
        },
        respond: ({ id }) => ({
          status: 200,
          json: { id: `<${id}@mailgun.emulator>`, message: 'Queued. Thank you.' },
        }),
      },
    ],
  });

/** msw handlers answering Mailgun's real US and EU origins. */
export const mailgunHandlers = (backend: EmailApiBackend) =>
  emailApiHandlers(backend, mailgunOrigins);

/** Mailgun on 127.0.0.1, with a connector config pointing at it. */
export const startMailgunEmulator = async (
  options: MailgunEmulatorOptions,
): Promise<EmailApiEmulator & { config: Record<string, unknown> }> => {
  const emulator = await startEmailApiEmulator(createMailgunBackend(options));
  const domain = options.domains?.[0] ?? 'mg.example.com';
  return {
    ...emulator,
    config: {
      endpoint: emulator.url,
      domain,
      apiKey: options.apiKeys[0],
      from: `Example <no-reply@${domain}>`,
      deliveries: {
        Generic: {
          subject: 'Your verification code',
          html: '<p>Your verification code is <strong>{{code}}</strong>.</p>',
        },
      },
    },
  };
};
