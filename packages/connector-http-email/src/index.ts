import { definePasswordlessConnector, postToReceiver } from '@idplug/base';
import { ConnectorType, type CreateConnector, type EmailConnector } from '@logto/connector-kit';
import { httpEmailConfigGuard } from './config';
import { metadata, providerName } from './constants';
import { checkAuthorizationHeader, checkRecipient } from './http-email-request';

/**
 * HTTP email for Logto: every message goes to the operator's endpoint as the official connector's
 * JSON, and the receiver renders it (so there are no templates here). Config reading, the unsaved
 * "send test" config, the signed post and secret-free errors come from `@idplug/base`.
 */
const createHttpEmailConnector: CreateConnector<EmailConnector> = definePasswordlessConnector(
  ConnectorType.Email,
  { metadata, configGuard: httpEmailConfigGuard, providerName },
  () =>
    async (config, data, { http, redactor }) => {
      // `authorization` is a credential under a name base's redactor does not treat as secret;
      // a receiver may echo the whole header or only its token.
      redactor.add(config.authorization).add(config.authorization?.split(' ').slice(1).join(' '));
      checkRecipient(data);
      checkAuthorizationHeader(config);
      return postToReceiver(http, {
        url: config.endpoint,
        authorization: config.authorization,
        signingSecret: config.signingSecret,
        providerName,
        data,
      });
    },
);

export default createHttpEmailConnector;
