import { verifyWebhookSignature, webhookSignatureHeader } from '@idplug/base';
import {
  createEmailApiBackend,
  type EmailApiBackend,
  type EmailApiEmulator,
  startEmailApiEmulator,
} from './email-api';
import { escapeHtml, safeEqual } from './emulator-http';

/**
 * A receiver for `@idplug/connector-http-email` (and the official `@logto/connector-http-email`):
 * checks the `Authorization` header and, when a signing secret is set, the `x-idplug-signature`
 * HMAC over the raw body, reads `{ to, type, payload, ip? }`, and renders a small message with an
 * HTML and a text part for the playground's inbox, as an operator's own mailer would.
 */

export const httpEmailReceiverPath = '/logto/email';

export type HttpEmailReceiverOptions = {
  /** The exact `Authorization` value to require; none required when absent. */
  authorization?: string;
  /** Verify `x-idplug-signature` with this secret; not required when absent. */
  signingSecret?: string;
};

const textOf = (type: string, payload: Record<string, unknown>) =>
  `Your ${type} verification code is ${String(payload.code ?? '(none)')}.`;

export const createHttpEmailReceiverBackend = (
  options: HttpEmailReceiverOptions = {},
): EmailApiBackend =>
  createEmailApiBackend({
    provider: 'HTTP email receiver',
    origins: [],
    routes: [
      {
        path: httpEmailReceiverPath,
        body: 'json',
        authenticate: ({ headers, raw }) => {
          if (
            options.authorization !== undefined &&
            !safeEqual(headers.authorization ?? '', options.authorization)
          ) {
            return { status: 401, json: { message: 'Wrong or missing Authorization header' } };
          }
          if (
            options.signingSecret !== undefined &&
            !verifyWebhookSignature(options.signingSecret, raw, headers[webhookSignatureHeader])
          ) {
            return { status: 401, json: { message: 'Wrong or missing signature' } };
          }
          return undefined;
        },
        accept: ({ body, headers }) => {
          const { to, type, payload, ip } = (body ?? {}) as Record<string, unknown>;
          if (typeof to !== 'string' || typeof type !== 'string') {
            return { status: 400, json: { message: '`to` and `type` must be strings' } };
          }
          if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
            return { status: 400, json: { message: '`payload` must be an object' } };
          }
          if (ip !== undefined && typeof ip !== 'string') {
            return { status: 400, json: { message: '`ip` must be a string' } };
          }
          const text = textOf(type, payload as Record<string, unknown>);
          return {
            to: [to],
            subject: `${type} code`,
            text,
            html: `<p>${escapeHtml(text)}</p>`,
            body,
            headers,
          };
        },
        respond: ({ id }) => ({ status: 200, json: { id } }),
      },
    ],
  });

/** A receiver on 127.0.0.1; the connector's `endpoint` is `url + httpEmailReceiverPath`. */
export const startHttpEmailReceiver = async (
  options: HttpEmailReceiverOptions = {},
): Promise<EmailApiEmulator & { endpoint: string; config: Record<string, string> }> => {
  const emulator = await startEmailApiEmulator(createHttpEmailReceiverBackend(options));
  const endpoint = `${emulator.url}${httpEmailReceiverPath}`;
  return {
    ...emulator,
    endpoint,
    config: {
      endpoint,
      ...(options.authorization && { authorization: options.authorization }),
      ...(options.signingSecret && { signingSecret: options.signingSecret }),
    },
  };
};
