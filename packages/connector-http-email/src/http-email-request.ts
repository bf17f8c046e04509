import { assertSingleEmailRecipient, connectorError } from '@idplug/base';
import { ConnectorErrorCodes, type SendMessageData } from '@logto/connector-kit';
import type { HttpEmailConfig } from './config';

/**
 * What is posted is base's `postToReceiver`: the official connector's JSON body, `{ to, type,
 * payload, ip? }` in that key order (its receivers parse it; a differential test keeps it
 * byte-identical), its `Authorization` header and the optional signature. These are the checks
 * this connector adds before it.
 */

/** A header value cannot hold a line break: refused as a config problem, before anything is sent. */
export const checkAuthorizationHeader = (config: HttpEmailConfig): void => {
  if (config.authorization !== undefined && /[\r\n]/.test(config.authorization)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      '`authorization` contains a line break, which no HTTP header can carry',
      { provider: 'HTTP email', stage: 'config' },
    );
  }
};

/** The official connector posts whatever `to` it gets; one address (no list, no CR/LF) is safer. */
export const checkRecipient = (data: SendMessageData): void => {
  assertSingleEmailRecipient(data.to);
};
