import { defineEmailConnector } from '@idplug/base';
import type { CreateConnector, EmailConnector } from '@logto/connector-kit';
import { awsSesConfigGuard } from './config';
import { metadata, providerName } from './constants';
import { sendEmail } from './send-email';

/**
 * Amazon SES for Logto, without the AWS SDK: one SigV4-signed SES v2 SendEmail request. Template
 * choice (Logto's localized template, then the config's for the usage type, then `Generic`),
 * rendering with escaped HTML values and a text part, the single-recipient check and secret-free
 * errors come from `@idplug/base`.
 */
const createAwsSesConnector: CreateConnector<EmailConnector> = defineEmailConnector({
  metadata,
  configGuard: awsSesConfigGuard,
  providerName,
  deliver: sendEmail,
});

export default createAwsSesConnector;
