import { connectorError, defineEmailConnector } from '@idplug/base';
import {
  ConnectorErrorCodes,
  type CreateConnector,
  type EmailConnector,
} from '@logto/connector-kit';
import { __camelName__ConfigGuard } from './config';
import { endpoints, metadata } from './constants';

/**
 * Template choice (Logto's localized templates, then the config's, then `Generic`), rendering with
 * HTML escaping, the single-recipient check and secret-free errors are @idplug/base's; this file
 * says how __displayName__ takes a message.
 */
const create__Name__Connector: CreateConnector<EmailConnector> = defineEmailConnector({
  metadata,
  configGuard: __camelName__ConfigGuard,
  providerName: '__displayName__',
  // `http` is base's client, with the config's `timeout` and every credential redacted.
  deliver: async (message, { config, http }) => {
    await http.request({
      method: 'POST',
      url: endpoints.sendEndpoint,
      purpose: 'send',
      // Any 2xx is a sent message, whatever body (or none) comes with it.
      responseType: 'text',
      headers: { authorization: `Bearer ${config.apiKey}` },
      json: {
        from: { email: config.fromAddress, ...(config.fromName && { name: config.fromName }) },
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html && { html: message.html }),
        ...(message.replyTo && { reply_to: message.replyTo }),
      },
      // A refused key is the operator's to fix, not a passing outage.
      readProviderError: (_body, { status }) =>
        status === 401 || status === 403
          ? connectorError(
              ConnectorErrorCodes.InvalidConfig,
              `__displayName__ refused the API key (HTTP ${status})`,
              { status },
            )
          : undefined,
    });
  },
});

export default create__Name__Connector;
