import {
  assertSingleEmailRecipient,
  connectorError,
  signWebhookBody,
  webhookSignatureHeader,
} from '@idplug/base';
import { ConnectorErrorCodes, type SendMessageData } from '@logto/connector-kit';
import type { HttpEmailConfig } from './config';

/**
 * What is posted: the official connector's JSON body, `{ to, type, payload, ip? }` in that key order
 * (its receivers parse it; a differential test keeps it byte-identical), its `Authorization` header,
 * and, when `signingSecret` is set, the HMAC signature of exactly those bytes.
 */

export const httpEmailBody = ({ to, type, payload, ip }: SendMessageData) => ({
  to,
  type,
  payload,
  ...(ip && { ip }),
});

export const httpEmailHeaders = (config: HttpEmailConfig, body: string): Record<string, string> => {
  if (config.authorization !== undefined && /[\r\n]/.test(config.authorization)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      '`authorization` contains a line break, which no HTTP header can carry',
      { provider: 'HTTP email', stage: 'config' },
    );
  }
  return {
    'content-type': 'application/json',
    ...(config.authorization && { authorization: config.authorization }),
    ...(config.signingSecret && {
      [webhookSignatureHeader]: signWebhookBody(config.signingSecret, body),
    }),
  };
};

/** The official connector posts whatever `to` it gets; one address (no list, no CR/LF) is safer. */
export const checkRecipient = (data: SendMessageData): void => {
  assertSingleEmailRecipient(data.to);
};
