import { connectorError, defineSmsConnector } from '@idplug/base';
import { ConnectorErrorCodes, type CreateConnector, type SmsConnector } from '@logto/connector-kit';
import { __camelName__ConfigGuard } from './config';
import { endpoints, metadata } from './constants';

/**
 * Template choice (the config's template for the usage type, then `Generic`), rendering, the
 * one-phone-number check and secret-free errors are @idplug/base's; this file says how
 * __displayName__ takes a message.
 */
const create__Name__Connector: CreateConnector<SmsConnector> = defineSmsConnector({
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
      json: { from: config.sender, to: message.to, text: message.text },
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
