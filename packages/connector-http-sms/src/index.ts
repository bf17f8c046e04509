import { defineSmsConnector, signWebhookBody, webhookSignatureHeader } from '@idplug/base';
import type { CreateConnector, SmsConnector } from '@logto/connector-kit';
import { httpSmsConfigGuard } from './config';
import { metadata, providerName } from './constants';
import { httpSmsBody, readReceiverError } from './request';

/**
 * HTTP SMS for Logto: every message is POSTed as JSON to the operator's endpoint, the same bytes
 * `@logto/connector-http-sms` sends, optionally signed. The one-phone-number check, secret-free
 * errors and the HTTP client (deadline, 429 with Retry-After) are `@idplug/base`'s.
 */
const createHttpSmsConnector: CreateConnector<SmsConnector> = defineSmsConnector({
  metadata,
  configGuard: httpSmsConfigGuard,
  providerName,
  httpOptions: (config) => (config.timeout ? { timeoutMs: config.timeout } : {}),
  // The receiver renders the text itself: the connector has no templates to choose from.
  templatesOf: () => [{ usageType: 'Generic' }],
  deliver: async (_message, { config, data, http }) => {
    const body = httpSmsBody(data);
    // What is signed is what is sent: base's client serialises `json` with JSON.stringify.
    const serialized = JSON.stringify(body);
    const response = await http.request({
      method: 'POST',
      url: config.endpoint,
      purpose: 'send',
      headers: {
        ...(config.authorization && { authorization: config.authorization }),
        ...(config.signingSecret && {
          [webhookSignatureHeader]: signWebhookBody(config.signingSecret, serialized),
        }),
      },
      json: body,
      // Any 2xx is a sent message, whatever body (or none) comes with it.
      responseType: 'text',
      readProviderError: readReceiverError,
    });
    return { status: response.status };
  },
});

export default createHttpSmsConnector;
