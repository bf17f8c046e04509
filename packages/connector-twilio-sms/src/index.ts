import { connectorError, createHttpClient, defineSmsConnector } from '@idplug/base';
import { ConnectorErrorCodes, type CreateConnector, type SmsConnector } from '@logto/connector-kit';
import { twilioSmsConfigGuard } from './config';
import { endpoints, metadata } from './constants';

/**
 * Template choice (the config's template for the usage type, then `Generic`), rendering, the
 * one-phone-number check and secret-free errors are @idplug/base's; this file says how
 * Twilio SMS takes a message.
 */
const createTwilioSmsConnector: CreateConnector<SmsConnector> = defineSmsConnector({
  metadata,
  configGuard: twilioSmsConfigGuard,
  deliver: async (message, { config }) => {
    const http = createHttpClient({
      providerName: 'Twilio SMS',
      ...(config.timeout && { timeoutMs: config.timeout }),
    });
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
              `Twilio SMS refused the API key (HTTP ${status})`,
              { status },
            )
          : undefined,
    });
  },
});

export default createTwilioSmsConnector;
