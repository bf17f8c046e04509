import { defineEmailConnector } from '@idplug/base';
import type { CreateConnector, EmailConnector } from '@logto/connector-kit';
import { aliyunDmConfigGuard } from './config';
import { metadata, providerName } from './constants';
import { sendSingleMail } from './single-send-mail';

/**
 * Aliyun Direct Mail for Logto. Template choice (Logto's localized template, then the config's
 * for the usage type, then `Generic`), rendering with escaped HTML values, the single-recipient
 * check and secret-free errors come from `@idplug/base`; this connector signs and sends.
 */
const createAliyunDmConnector: CreateConnector<EmailConnector> = defineEmailConnector({
  metadata,
  configGuard: aliyunDmConfigGuard,
  providerName,
  deliver: sendSingleMail,
});

export default createAliyunDmConnector;
