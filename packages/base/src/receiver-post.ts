import { ConnectorErrorCodes, type SendMessageData } from '@logto/connector-kit';
import { z } from 'zod';
import { urlConfigField } from './config-fields';
import { connectorError } from './errors';
import { textFormItem } from './form-items';
import type { HttpClient } from './http';
import { excerptOf } from './http';
import { signWebhookBody, webhookSignatureHeader } from './webhook-signature';

/**
 * What the HTTP email and HTTP SMS connectors do, once: POST Logto's message data as JSON to the
 * operator's own receiver, with its `Authorization` header and, when a signing secret is set, the
 * signature of exactly the bytes sent.
 */

/**
 * The JSON body, key for key what `@logto/connector-http-email` and `@logto/connector-http-sms`
 * post: `to`, `type` and `payload` as Logto passed them, then `ip` when Logto passes a truthy one.
 * A receiver written for the official connectors keeps working.
 */
export const receiverMessageBody = ({ to, type, payload, ip }: SendMessageData) => ({
  to,
  type,
  payload,
  ...(ip ? { ip } : {}),
});

/**
 * The receiver's config keys, as the official connectors name them. Plain `http://` is allowed
 * anywhere: the official connectors post to any URL, and an in-house receiver on a private
 * network is the common case.
 */
export const receiverConfigFields = {
  endpoint: urlConfigField({ allowHttp: true }).describe(
    'The URL every message is POSTed to as JSON (`{ to, type, payload, ip? }`).',
  ),
  authorization: z
    .string()
    .optional()
    .describe(
      'Sent as the `Authorization` header (for example `Bearer <token>`) for your server to check. Never appears in an error.',
    ),
};

/** The form items of `receiverConfigFields` and the signing secret. */
export const receiverFormItems = (endpointPlaceholder: string) => [
  textFormItem('endpoint', 'Endpoint', endpointPlaceholder, {
    required: true,
    description: 'Every message is POSTed here as JSON: `{ to, type, payload, ip? }`.',
  }),
  textFormItem('authorization', 'Authorization header', 'Bearer <your-token>', {
    isConfidential: true,
    tooltip: 'Sent as the Authorization header; check it on your server.',
  }),
  textFormItem('signingSecret', 'Signing secret', '<at least 16 random characters>', {
    isConfidential: true,
    description:
      'Optional. Signs every request (`x-idplug-signature: t=<unix seconds>,v1=<HMAC-SHA256 hex>`) so your server can refuse forged and replayed calls. See the README for the check.',
  }),
];

export type ReceiverPost = {
  url: string;
  /** Sent as the `Authorization` header, for the receiver to check. */
  authorization?: string;
  /** Signs the body (`x-idplug-signature`); see `signWebhookBody`. */
  signingSecret?: string;
  /** "HTTP SMS endpoint", for messages. */
  providerName: string;
  data: SendMessageData;
};

/**
 * Posts the message. Any 2xx is a delivered message, whatever body (or none) comes with it. A
 * receiver that refuses the header or the signature (401/403) has a configuration problem, not an
 * outage; other statuses take the HTTP client's mapping (429 with Retry-After is
 * `rate_limit_exceeded`, the rest `general` with the status and an excerpt).
 */
export const postToReceiver = async (
  http: HttpClient,
  { url, authorization, signingSecret, providerName, data }: ReceiverPost,
): Promise<number> => {
  const body = receiverMessageBody(data);
  // What is signed is what is sent: the client serialises `json` with JSON.stringify too.
  const serialized = JSON.stringify(body);
  const response = await http.request({
    method: 'POST',
    url,
    purpose: 'send',
    headers: {
      'content-type': 'application/json',
      ...(authorization && { authorization }),
      ...(signingSecret && {
        [webhookSignatureHeader]: signWebhookBody(signingSecret, serialized),
      }),
    },
    json: body,
    responseType: 'text',
    readProviderError: (answer, { status }) => {
      if (status !== 401 && status !== 403) {
        return undefined;
      }
      const excerpt = typeof answer === 'string' ? excerptOf(answer) : '';
      return connectorError(
        ConnectorErrorCodes.InvalidConfig,
        `The ${providerName} refused the request (HTTP ${status}${excerpt ? `: ${excerpt}` : ''}); check \`authorization\` and \`signingSecret\``,
        { provider: providerName, status },
      );
    },
  });
  return response.status;
};
