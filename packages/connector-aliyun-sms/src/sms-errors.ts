import { aliyunRpcError, readAliyunRpcError, usageLimitExceededCode } from '@idplug/base';
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { providerName } from './constants';

/**
 * SendSms's own `isv.*` codes (https://help.aliyun.com/zh/sms/developer-reference/api-error-codes),
 * which Aliyun answers with HTTP 200. The gateway's codes (a wrong access key or signature,
 * throttling) are base's shared Alibaba Cloud table (aliyun-rpc.ts), used by Direct Mail too.
 */
const smsErrorTable: Readonly<Record<string, () => ConnectorErrorCodes>> = {
  // Too many texts to one number in a minute/hour/day: Logto shows "try again later".
  'isv.BUSINESS_LIMIT_CONTROL': () => ConnectorErrorCodes.RateLimitExceeded,
  'isv.DAY_LIMIT_CONTROL': () => ConnectorErrorCodes.RateLimitExceeded,
  // The number itself.
  'isv.MOBILE_NUMBER_ILLEGAL': () => ConnectorErrorCodes.InvalidRequestParameters,
  'isv.MOBILE_COUNT_OVER_LIMIT': () => ConnectorErrorCodes.InvalidRequestParameters,
  // The operator's signature, template or account: fixed in the console or the config.
  'isv.SMS_SIGNATURE_ILLEGAL': () => ConnectorErrorCodes.InvalidConfig,
  'isv.SMS_SIGN_ILLEGAL': () => ConnectorErrorCodes.InvalidConfig,
  'isv.SIGN_NAME_ILLEGAL': () => ConnectorErrorCodes.InvalidConfig,
  'isv.SMS_TEMPLATE_ILLEGAL': () => ConnectorErrorCodes.InvalidConfig,
  'isv.TEMPLATE_MISSING_PARAMETERS': () => ConnectorErrorCodes.InvalidConfig,
  'isv.TEMPLATE_PARAMS_ILLEGAL': () => ConnectorErrorCodes.InvalidConfig,
  'isv.ACCOUNT_NOT_EXISTS': () => ConnectorErrorCodes.InvalidConfig,
  'isv.ACCOUNT_ABNORMAL': () => ConnectorErrorCodes.InvalidConfig,
  'isp.RAM_PERMISSION_DENY': () => ConnectorErrorCodes.InvalidConfig,
  // The account is out of credit.
  'isv.AMOUNT_NOT_ENOUGH': usageLimitExceededCode,
  'isv.OUT_OF_SERVICE': usageLimitExceededCode,
};

/** `readProviderError` for SendSms: any `{ Code, Message }` other than `OK`, whatever the status. */
export const readSendSmsError = (
  body: unknown,
  { status }: { status: number },
): ConnectorError | undefined => {
  const fields = readAliyunRpcError(body);
  if (!fields) {
    return undefined;
  }
  const shared = aliyunRpcError(fields, providerName, status);
  const own = smsErrorTable[fields.code];
  return own ? new ConnectorError(own(), shared.data as never) : shared;
};
