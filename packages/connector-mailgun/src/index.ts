import { defineEmailConnector } from '@idplug/base';
import type { CreateConnector, EmailConnector } from '@logto/connector-kit';
import { mailgunConfigGuard } from './config';
import { metadata, providerName } from './constants';
import { sendMessage, templatesOfDeliveries } from './messages';

/**
 * Mailgun for Logto. Template choice (Logto's localized template, then the delivery for the usage
 * type, then `Generic`), rendering with escaped HTML values and a text part, the single-recipient
 * check and secret-free errors come from `@idplug/base`; this connector posts one message form.
 */
const createMailgunConnector: CreateConnector<EmailConnector> = defineEmailConnector({
  metadata,
  configGuard: mailgunConfigGuard,
  providerName,
  templatesOf: templatesOfDeliveries,
  deliver: sendMessage,
});

export default createMailgunConnector;
