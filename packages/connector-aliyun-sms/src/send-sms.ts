import {
  buildSignedAliyunRpcParameters,
  connectorError,
  type RenderedSms,
  type SmsSendContext,
} from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import type { AliyunSmsConfig, AliyunSmsTemplate } from './config';
import { apiVersion, defaultEndpoint, providerName, regionId } from './constants';
import { readSendSmsError } from './sms-errors';
import { templateCodeFor } from './template-code';

/**
 * SendSms (https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms):
 * one signed form POST. Aliyun renders the template; the connector sends its code and the
 * payload as `TemplateParam`, as the official connector does (without `locale`, which is not a
 * template variable).
 */

export type SendSmsResult = { BizId?: string; RequestId?: string };

/** The SendSms parameters of a message (without the common, signed ones). */
export const sendSmsParameters = (
  message: RenderedSms,
  template: AliyunSmsTemplate,
  payload: Record<string, unknown>,
  config: AliyunSmsConfig,
) => {
  const { locale: _locale, ...templateParameters } = payload;
  return {
    RegionId: regionId,
    PhoneNumbers: message.to,
    SignName: config.signName,
    TemplateCode: templateCodeFor(
      template,
      message.to,
      config.strictPhoneRegionNumberCheck ?? false,
    ),
    TemplateParam: JSON.stringify(templateParameters),
  };
};

export const sendSms = async (
  message: RenderedSms,
  { config, data, template, http }: SmsSendContext<AliyunSmsConfig>,
): Promise<SendSmsResult> => {
  // `defineSmsConnector` chose this entry of `config.templates`: an Aliyun template, with its code.
  const aliyunTemplate = template as unknown as AliyunSmsTemplate;
  const response = await http.request({
    url: config.endpoint ?? defaultEndpoint,
    method: 'POST',
    purpose: 'send',
    form: buildSignedAliyunRpcParameters({
      action: 'SendSms',
      version: apiVersion,
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      parameters: sendSmsParameters(message, aliyunTemplate, data.payload, config),
    }),
    responseType: 'json',
    readProviderError: readSendSmsError,
  });
  const { Code, BizId, RequestId } = (response.body ?? {}) as Record<string, unknown>;
  if (Code !== 'OK') {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `${providerName} answered HTTP ${response.status} without \`Code: OK\``,
      { provider: providerName, status: response.status },
    );
  }
  return {
    ...(typeof BizId === 'string' && { BizId }),
    ...(typeof RequestId === 'string' && { RequestId }),
  };
};
