import { defineSmsConnector, postToReceiver } from '@idplug/base';
import type { CreateConnector, SmsConnector } from '@logto/connector-kit';
import { httpSmsConfigGuard } from './config';
import { metadata, providerName } from './constants';

/**
 * HTTP SMS for Logto: every message is POSTed as JSON to the operator's endpoint, the same bytes
 * `@logto/connector-http-sms` sends, optionally signed. The one-phone-number check, the signed
 * post, secret-free errors and the HTTP client (deadline, 429 with Retry-After) are
 * `@idplug/base`'s.
 */
const createHttpSmsConnector: CreateConnector<SmsConnector> = defineSmsConnector({
  metadata,
  configGuard: httpSmsConfigGuard,
  providerName,
  // The receiver renders the text itself: the connector has no templates to choose from.
  templatesOf: () => [{ usageType: 'Generic' }],
  deliver: async (_message, { config, data, http }) => ({
    status: await postToReceiver(http, {
      url: config.endpoint,
      authorization: config.authorization,
      signingSecret: config.signingSecret,
      providerName,
      data,
    }),
  }),
});

export default createHttpSmsConnector;
