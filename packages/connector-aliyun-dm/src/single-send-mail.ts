import {
  aliyunRpcError,
  buildSignedAliyunRpcParameters,
  connectorError,
  type EmailSendContext,
  type RenderedEmail,
  readAliyunRpcError,
} from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import type { AliyunDmConfig } from './config';
import { fromAliasGuard } from './config';
import { apiVersion, defaultRegionId, providerName, regionEndpoint } from './constants';

/**
 * SingleSendMail (https://www.alibabacloud.com/help/en/direct-mail/api-dm-2015-11-23-singlesendmail):
 * one signed form POST to the region's endpoint. `TextBody` for plain-text templates, `HtmlBody`
 * (payload values escaped by the renderer) for HTML ones.
 */

export type SingleSendMailResult = { EnvId: string; RequestId: string };

const requireSet = (value: string, key: keyof AliyunDmConfig) => {
  if (value.trim() === '') {
    throw connectorError(ConnectorErrorCodes.InvalidConfig, `\`${key}\` is empty`, {
      stage: 'config',
    });
  }
};

/** The sender name: the template's `sendFrom` (Logto's localized templates), else `fromAlias`. */
const fromAliasOf = (message: RenderedEmail, config: AliyunDmConfig): string | undefined => {
  const alias = message.from || config.fromAlias || undefined;
  if (alias !== undefined && !fromAliasGuard.safeParse(alias).success) {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `The template's sender name ${JSON.stringify(alias)} is longer than Aliyun Direct Mail's FromAlias limit; nothing was sent`,
    );
  }
  return alias;
};

/** The SingleSendMail parameters of a rendered message (without the common, signed ones). */
export const singleSendMailParameters = (message: RenderedEmail, config: AliyunDmConfig) => {
  const replyAddress = message.replyTo || config.replyToAddress;
  return {
    RegionId: config.regionId ?? defaultRegionId,
    AccountName: config.accountName.trim(),
    // 1: send from the sender address itself (0 would be a random account of its domain).
    AddressType: '1',
    // A string, not a boolean: whether Direct Mail adds the reply-to address of its console.
    ReplyToAddress: !replyAddress && config.useConsoleReplyTo ? 'true' : 'false',
    ReplyAddress: replyAddress,
    ToAddress: message.to,
    FromAlias: fromAliasOf(message, config),
    Subject: message.subject,
    ...(message.html === undefined ? { TextBody: message.text } : { HtmlBody: message.html }),
  };
};

const readSuccess = (body: unknown): SingleSendMailResult | undefined => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return undefined;
  }
  const { EnvId, RequestId } = body as Record<string, unknown>;
  return typeof EnvId === 'string' && typeof RequestId === 'string'
    ? { EnvId, RequestId }
    : undefined;
};

export const sendSingleMail = async (
  message: RenderedEmail,
  { config, http }: Pick<EmailSendContext<AliyunDmConfig>, 'config' | 'http'>,
): Promise<SingleSendMailResult> => {
  requireSet(config.accessKeyId, 'accessKeyId');
  requireSet(config.accessKeySecret, 'accessKeySecret');
  requireSet(config.accountName, 'accountName');

  const response = await http.request({
    url: config.endpoint ?? regionEndpoint(config.regionId ?? defaultRegionId),
    method: 'POST',
    purpose: 'send',
    form: buildSignedAliyunRpcParameters({
      action: 'SingleSendMail',
      version: apiVersion,
      accessKeyId: config.accessKeyId.trim(),
      accessKeySecret: config.accessKeySecret,
      parameters: singleSendMailParameters(message, config),
    }),
    responseType: 'json',
    readProviderError: (body, { status }) => {
      const fields = readAliyunRpcError(body);
      return fields && aliyunRpcError(fields, providerName, status);
    },
  });

  const result = readSuccess(response.body);
  if (!result) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `${providerName} accepted the request but its answer has no EnvId and RequestId`,
      { status: response.status },
    );
  }
  return result;
};
