import { defineEmailConnector } from '@idplug/base';
import type { CreateConnector, EmailConnector } from '@logto/connector-kit';
import { sendGridConfigGuard } from './config';
import { metadata, providerName } from './constants';
import { sendMail } from './mail-send';

/**
 * Twilio SendGrid for Logto. Template choice (Logto's localized template, then the config's for
 * the usage type, then `Generic`), rendering with escaped HTML values and a text part, the
 * single-recipient check and secret-free errors come from `@idplug/base`; this connector posts
 * one Mail Send request.
 */
const createSendGridConnector: CreateConnector<EmailConnector> = defineEmailConnector({
  metadata,
  configGuard: sendGridConfigGuard,
  providerName,
  // The official templates name the content type `type`.
  templatesOf: (config) =>
    config.templates.map(({ type, contentType, ...template }) => ({
      ...template,
      ...((type ?? contentType) && { contentType: type ?? contentType }),
    })),
  deliver: sendMail,
});

export default createSendGridConnector;
