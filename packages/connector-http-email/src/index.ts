import { connectorError, createSendMessage, withNetworkOption } from '@idplug/base';
import {
  ConnectorErrorCodes,
  ConnectorType,
  type CreateConnector,
  type EmailConnector,
} from '@logto/connector-kit';
import { type HttpEmailConfig, httpEmailConfigGuard } from './config';
import { metadata, providerName } from './constants';
import { checkRecipient, httpEmailBody, httpEmailHeaders } from './http-email-request';

/**
 * HTTP email for Logto: every message goes to the operator's endpoint as the official connector's
 * JSON, and the receiver renders it (so there are no templates here). Config reading, the unsaved
 * "send test" config and secret-free errors come from `@idplug/base`.
 */
const definition = {
  metadata,
  configGuard: httpEmailConfigGuard,
  providerName,
  httpOptions: (config: HttpEmailConfig) => ({
    ...(config.timeout !== undefined && { timeoutMs: config.timeout }),
  }),
};

const createHttpEmailConnector: CreateConnector<EmailConnector> = async ({ getConfig }) => ({
  // The connector's metadata and guard, with the optional `network` group (proxy, CA).
  ...withNetworkOption(definition),
  type: ConnectorType.Email,
  sendMessage: createSendMessage<HttpEmailConfig>(
    definition,
    getConfig,
    async (config, data, { http, redactor }) => {
      // `authorization` is a credential under a name base's redactor does not treat as secret;
      // a receiver may echo the whole header or only its token.
      redactor.add(config.authorization).add(config.authorization?.split(' ').slice(1).join(' '));
      checkRecipient(data);
      const body = httpEmailBody(data);
      // Signed as serialized: the HTTP client serializes `json` with JSON.stringify too.
      const text = JSON.stringify(body);
      const response = await http.request({
        method: 'POST',
        url: config.endpoint,
        purpose: 'send',
        headers: httpEmailHeaders(config, text),
        json: body,
        // Any 2xx is a delivered message, whatever body (or none) comes with it.
        responseType: 'text',
        readProviderError: (_body, { status }) =>
          status === 401 || status === 403
            ? connectorError(
                ConnectorErrorCodes.InvalidConfig,
                `The endpoint refused the request (HTTP ${status}); check \`authorization\` and \`signingSecret\``,
                { provider: providerName, status },
              )
            : undefined,
      });
      return response.status;
    },
  ),
});

export default createHttpEmailConnector;
