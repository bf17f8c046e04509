import { defineEmailConnector } from '@idplug/base';
import type { CreateConnector, EmailConnector } from '@logto/connector-kit';
import { smtpConfigGuard } from './config';
import { metadata } from './constants';
import { mailOptionsOf, sendDeadlineOf } from './mail-options';
import { mapSmtpError } from './smtp-errors';
import { sendThroughPool } from './transport-pool';

/**
 * SMTP for Logto, a drop-in for `@logto/connector-smtp` (same id, same config): base does the
 * template choice (localized, then the config's, then `Generic`), escaping, the text and HTML
 * parts and the recipient check; this file sends through a pooled connection and maps failures.
 */
const createSmtpConnector: CreateConnector<EmailConnector> = defineEmailConnector({
  metadata,
  configGuard: smtpConfigGuard,
  deliver: async (message, { config }) => {
    try {
      const info = await sendThroughPool(
        config,
        mailOptionsOf(message, config),
        sendDeadlineOf(config),
      );
      return { messageId: info.messageId, response: info.response };
    } catch (error: unknown) {
      throw mapSmtpError(error, config);
    }
  },
});

export default createSmtpConnector;
