import {
  createEmailApiBackend,
  type EmailApiAnswer,
  type EmailApiBackend,
  type EmailApiEmulator,
  type EmailApiRequest,
  emailApiHandlers,
  startEmailApiEmulator,
} from './email-api';
import { escapeHtml, safeEqual } from './emulator-http';

/**
 * Postmark's email API (https://postmarkapp.com/developer/api/email-api and templates-api):
 * `X-Postmark-Server-Token`, JSON bodies for `/email` and `/email/withTemplate`, confirmed sender
 * signatures, message streams, known template aliases and inactive recipients; answers
 * `{ To, SubmittedAt, MessageID, ErrorCode: 0, Message: "OK" }` or `{ ErrorCode, Message }`.
 */

export const postmarkOrigins = ['https://api.postmarkapp.com'] as const;

export type PostmarkEmulatorOptions = {
  serverTokens: readonly string[];
  /** Confirmed sender signatures; any sender when absent. */
  senders?: readonly string[];
  /** Template aliases the server has; any when absent. */
  templateAliases?: readonly string[];
  /** Recipients that bounced or complained (ErrorCode 406). */
  inactiveRecipients?: readonly string[];
  /** Message streams of the server. @default ['outbound'] */
  messageStreams?: readonly string[];
};

const postmarkError = (status: number, code: number, message: string): EmailApiAnswer => ({
  status,
  json: { ErrorCode: code, Message: message },
});

/** The address inside `"Name" <address>` or a bare address. */
const addressOf = (value: string) => /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value.trim();

export const createPostmarkBackend = (options: PostmarkEmulatorOptions): EmailApiBackend => {
  const authenticate = ({ headers }: EmailApiRequest) =>
    options.serverTokens.some((token) => safeEqual(token, headers['x-postmark-server-token'] ?? ''))
      ? undefined
      : postmarkError(
          401,
          10,
          'The Server Token you provided in the X-Postmark-Server-Token request header was invalid. Please verify that you are using a valid token.',
        );

  const checkCommon = (body: Record<string, unknown>): EmailApiAnswer | undefined => {
    const { From, To, MessageStream } = body;
    if (typeof From !== 'string' || From === '') {
      return postmarkError(422, 300, "Invalid 'From' address: ''.");
    }
    if (options.senders && !options.senders.includes(addressOf(From))) {
      return postmarkError(
        422,
        400,
        `The 'From' address you supplied (${From}) is not a Sender Signature on your account. Please add and confirm this address in order to be able to use it in the 'From' field of your messages.`,
      );
    }
    if (typeof To !== 'string' || !/^[^@\s,]+@[^@\s,]+$/.test(To)) {
      return postmarkError(422, 300, `Error parsing 'To': Illegal email address '${String(To)}'.`);
    }
    if (options.inactiveRecipients?.includes(To)) {
      return postmarkError(
        422,
        406,
        `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ${To}. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.`,
      );
    }
    const streams = options.messageStreams ?? ['outbound'];
    if (MessageStream !== undefined && !streams.includes(String(MessageStream))) {
      return postmarkError(422, 1235, `The message stream for the provided 'ID' was not found.`);
    }
    return undefined;
  };

  const respond = ({ id, to }: { id: string; to: string[] }): EmailApiAnswer => ({
    status: 200,
    json: {
      To: to[0],
      SubmittedAt: new Date().toISOString(),
      MessageID: id,
      ErrorCode: 0,
      Message: 'OK',
    },
  });

  return createEmailApiBackend({
    provider: 'Postmark',
    origins: postmarkOrigins,
    routes: [
      {
        path: '/email',
        body: 'json',
        authenticate,
        accept: ({ body, headers }) => {
          const fields = (body ?? {}) as Record<string, unknown>;
          const refusal = checkCommon(fields);
          if (refusal) {
            return refusal;
          }
          const { From, To, Subject, HtmlBody, TextBody, ReplyTo } = fields;
          if (typeof HtmlBody !== 'string' && typeof TextBody !== 'string') {
            return postmarkError(422, 300, 'Provide either email TextBody or HtmlBody or both.');
          }
          return {
            from: String(From),
            to: [String(To)],
            ...(typeof Subject === 'string' && { subject: Subject }),
            ...(typeof HtmlBody === 'string' && { html: HtmlBody }),
            ...(typeof TextBody === 'string' && { text: TextBody }),
            ...(typeof ReplyTo === 'string' && { replyTo: ReplyTo }),
            body,
            headers,
          };
        },
        respond,
      },
      {
        path: '/email/withTemplate',
        body: 'json',
        authenticate,
        accept: ({ body, headers }) => {
          const fields = (body ?? {}) as Record<string, unknown>;
          const refusal = checkCommon(fields);
          if (refusal) {
            return refusal;
          }
          const { From, To, TemplateAlias, TemplateModel } = fields;
          if (
            typeof TemplateAlias !== 'string' ||
            (options.templateAliases && !options.templateAliases.includes(TemplateAlias))
          ) {
            return postmarkError(
              422,
              1101,
              `The Template's 'Alias' associated with this request is not valid or was not found.`,
            );
          }
          const model = (TemplateModel ?? {}) as Record<string, unknown>;
          const text = `[${TemplateAlias}] ${String(model.code ?? '')}`;
          return {
            from: String(From),
            to: [String(To)],
            subject: TemplateAlias,
            text,
            html: `<p>${escapeHtml(text)}</p>`,
            template: { name: TemplateAlias, model: TemplateModel },
            body,
            headers,
          };
        },
        respond,
      },
    ],
  });
};

/** msw handlers answering Postmark's real API origin. */
export const postmarkHandlers = (backend: EmailApiBackend) =>
  emailApiHandlers(backend, postmarkOrigins);

/** Postmark on 127.0.0.1, with a connector config pointing at it. */
export const startPostmarkEmulator = async (
  options: PostmarkEmulatorOptions,
): Promise<EmailApiEmulator & { config: Record<string, unknown> }> => {
  const emulator = await startEmailApiEmulator(createPostmarkBackend(options));
  return {
    ...emulator,
    config: {
      serverToken: options.serverTokens[0],
      fromEmail: options.senders?.[0] ?? 'no-reply@example.com',
      endpoint: emulator.url,
      templates: [
        {
          usageType: 'Generic',
          subject: 'Your verification code',
          content: '<p>Your verification code is <strong>{{code}}</strong>.</p>',
          contentType: 'text/html',
        },
      ],
    },
  };
};
