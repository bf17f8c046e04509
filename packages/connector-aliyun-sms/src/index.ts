import { defineSmsConnector } from '@idplug/base';
import type { CreateConnector, SmsConnector } from '@logto/connector-kit';
import { aliyunSmsConfigGuard } from './config';
import { metadata, providerName } from './constants';
import { sendSms } from './send-sms';

/**
 * Aliyun Short Message Service for Logto. Template choice (the usage type's, then `Generic`),
 * the recipient check, masking of the number in errors and the HTTP client are `@idplug/base`'s,
 * and so is the Alibaba Cloud RPC signature (shared with Aliyun Direct Mail); this connector picks
 * the mainland or overseas template code and maps SendSms's own error codes.
 */
const createAliyunSmsConnector: CreateConnector<SmsConnector> = defineSmsConnector({
  metadata,
  configGuard: aliyunSmsConfigGuard,
  providerName,
  deliver: sendSms,
});

export default createAliyunSmsConnector;
