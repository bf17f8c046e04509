import { createHmac, randomUUID } from 'node:crypto';
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError, usageLimitExceededCode } from './errors';

/**
 * Alibaba Cloud's RPC-style API signature (HMAC-SHA1, SignatureVersion 1.0), used by Direct Mail
 * (SingleSendMail) and Short Message Service (SendSms). Written from the documented algorithm
 * ("Request syntax and signature method V2 for RPC APIs",
 * https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism):
 *
 * 1. Sort every parameter except `Signature` by name.
 * 2. Percent-encode names and values as UTF-8, leaving only `A-Z a-z 0-9 - _ . ~` literal
 *    (so a space is `%20`, `*` is `%2A`, `~` stays).
 * 3. `StringToSign = METHOD & encode("/") & encode(name=value&name=value...)`.
 * 4. `Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))`.
 *
 * Plus the one error table for Alibaba Cloud's `{ Code, Message, RequestId }` error bodies.
 */

export type AliyunRpcParameters = Record<string, string | undefined>;

/** Percent-encoding of step 2: `encodeURIComponent` leaves `!'()*` literal; Alibaba does not. */
export const aliyunPercentEncode = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** `yyyy-MM-ddTHH:mm:ssZ` in UTC, as the `Timestamp` parameter requires (no milliseconds). */
export const aliyunRpcTimestamp = (date: Date): string =>
  date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const definedEntries = (parameters: AliyunRpcParameters): Array<[string, string]> =>
  Object.entries(parameters).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'Signature',
  );

/** Steps 1-3: the string to sign. */
export const aliyunRpcStringToSign = (
  method: 'GET' | 'POST',
  parameters: AliyunRpcParameters,
): string => {
  const canonicalQuery = definedEntries(parameters)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([name, value]) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(value)}`)
    .join('&');
  return `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonicalQuery)}`;
};

/** Step 4: the `Signature` value (before any form or URL encoding). */
export const signAliyunRpcRequest = ({
  method,
  parameters,
  accessKeySecret,
}: {
  method: 'GET' | 'POST';
  parameters: AliyunRpcParameters;
  accessKeySecret: string;
}): string =>
  createHmac('sha1', `${accessKeySecret}&`)
    .update(aliyunRpcStringToSign(method, parameters), 'utf8')
    .digest('base64');

export type AliyunRpcCall = {
  action: string;
  /** The API version, `2015-11-23` for Direct Mail. */
  version: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The operation's own parameters; `undefined` values are left out. */
  parameters: AliyunRpcParameters;
  /** @default 'POST' */
  method?: 'GET' | 'POST';
  /** For tests: the clock and the nonce. */
  now?: Date;
  nonce?: string;
};

/**
 * The complete, signed parameter set of one call: common parameters (`Format=JSON`, a fresh
 * `SignatureNonce` and `Timestamp`), the operation's own, and `Signature`. Send it as the form
 * body of a POST (or the query of a GET) to the service endpoint's root path.
 */
export const buildSignedAliyunRpcParameters = (call: AliyunRpcCall): Record<string, string> => {
  const unsigned: Record<string, string> = Object.fromEntries(
    definedEntries({
      ...call.parameters,
      Action: call.action,
      Version: call.version,
      Format: 'JSON',
      AccessKeyId: call.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: call.nonce ?? randomUUID(),
      Timestamp: aliyunRpcTimestamp(call.now ?? new Date()),
    }),
  );
  return {
    ...unsigned,
    Signature: signAliyunRpcRequest({
      method: call.method ?? 'POST',
      parameters: unsigned,
      accessKeySecret: call.accessKeySecret,
    }),
  };
};

/** What an Alibaba Cloud error body carries. */
export type AliyunRpcErrorFields = {
  code: string;
  message?: string;
  requestId?: string;
  recommend?: string;
};

/** Reads `{ Code, Message, RequestId, Recommend }`; `undefined` when the body is not an error. */
export const readAliyunRpcError = (body: unknown): AliyunRpcErrorFields | undefined => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return undefined;
  }
  const { Code, Message, RequestId, Recommend } = body as Record<string, unknown>;
  // SMS answers success as `"Code": "OK"`.
  if (typeof Code !== 'string' || Code === '' || Code === 'OK') {
    return undefined;
  }
  return {
    code: Code,
    ...(typeof Message === 'string' && { message: Message }),
    ...(typeof RequestId === 'string' && { requestId: RequestId }),
    ...(typeof Recommend === 'string' && { recommend: Recommend }),
  };
};

/**
 * Alibaba Cloud error codes mapped to connector-kit codes: the common RPC ones and Direct Mail's
 * (https://help.aliyun.com/zh/direct-mail/error-codes and the SingleSendMail reference,
 * https://www.alibabacloud.com/help/en/direct-mail/api-dm-2015-11-23-singlesendmail). Codes not
 * listed, and not matching a pattern below, map to `general` carrying Alibaba's message.
 */
const aliyunErrorTable: Readonly<Record<string, ConnectorErrorCodes>> = {
  // The access key pair or the signature: the operator's configuration.
  SignatureDoesNotMatch: ConnectorErrorCodes.InvalidConfig,
  IncompleteSignature: ConnectorErrorCodes.InvalidConfig,
  // Direct Mail's own error-code page calls the mismatch just `Signature`.
  Signature: ConnectorErrorCodes.InvalidConfig,
  // RAM: the key's user lacks AliyunDirectMailFullAccess (or the SMS equivalent).
  Forbidden: ConnectorErrorCodes.InvalidConfig,
  'Forbidden.RAM': ConnectorErrorCodes.InvalidConfig,
  'Forbidden.AccessKeyDisabled': ConnectorErrorCodes.InvalidConfig,
  // Direct Mail: the sender address, its domain, or a template field the operator configured.
  'InvalidMailAddress.NotFound': ConnectorErrorCodes.InvalidConfig,
  'InvalidMailAddressStatus.Malformed': ConnectorErrorCodes.InvalidConfig,
  'InvalidMailAddressDomain.Malformed': ConnectorErrorCodes.InvalidConfig,
  'InvalidMailAddressSendType.Malformed': ConnectorErrorCodes.InvalidConfig,
  'InvalidFromAlias.Malformed': ConnectorErrorCodes.InvalidConfig,
  // (sic: Alibaba documents both spellings)
  'InvalidFromALias.Malformed': ConnectorErrorCodes.InvalidConfig,
  'InvalidReplyAddress.Malformed': ConnectorErrorCodes.InvalidConfig,
  'InvalidReplyAddressAlias.Malformed': ConnectorErrorCodes.InvalidConfig,
  'InvalidSubject.Malformed': ConnectorErrorCodes.InvalidConfig,
  'InvalidUser.NotFound': ConnectorErrorCodes.InvalidConfig,
  'InvalidIP.NotFound': ConnectorErrorCodes.InvalidConfig,
  // Direct Mail: the recipient. `general`, carrying Alibaba's message.
  InvalidToAddress: ConnectorErrorCodes.General,
  'InvalidToAddress.Spam': ConnectorErrorCodes.General,
  'InvalidReceiverName.Malformed': ConnectorErrorCodes.General,
};

/** The connector-kit code for an Alibaba Cloud error `Code`. */
export const mapAliyunErrorCode = (code: string): ConnectorErrorCodes => {
  const listed = aliyunErrorTable[code];
  if (listed) {
    return listed;
  }
  // InvalidAccessKeyId.NotFound, InvalidAccessKeyId.Inactive, InvalidAccessKeySecret...
  if (/^InvalidAccessKey/.test(code)) {
    return ConnectorErrorCodes.InvalidConfig;
  }
  // Throttling, Throttling.User, Throttling.Api, Throttling.Concurrent...
  if (/^Throttling/.test(code)) {
    return ConnectorErrorCodes.RateLimitExceeded;
  }
  // A used-up daily/monthly quota or resource package, or an account out of credit.
  if (/quota|insufficientbalance|arrear|outofbalance|packageexhausted/i.test(code)) {
    return usageLimitExceededCode();
  }
  return ConnectorErrorCodes.General;
};

/**
 * A refused signature: with a well-formed request, the Access Key Secret does not belong to the
 * Access Key ID. Alibaba's message appends "server string to sign is:" and the whole URL-encoded
 * request (the recipient, the body, the verification code): of no use to an operator, so the
 * message stops before it and points at the setting instead.
 */
const signatureMismatchCodes = new Set(['SignatureDoesNotMatch', 'Signature']);

const signatureMismatchError = (
  fields: AliyunRpcErrorFields,
  provider: string,
  status: number | undefined,
): ConnectorError => {
  const description = fields.message?.split(/\s*server string to sign is/i)[0]?.trim();
  return connectorError(
    ConnectorErrorCodes.InvalidConfig,
    `${provider} refused the request signature (\`${fields.code}\`): check the Access Key Secret (\`accessKeySecret\`); it must be the secret of the Access Key ID in use`,
    {
      provider,
      providerCode: fields.code,
      ...(description && { description }),
      ...(fields.recommend && { errorUri: fields.recommend }),
      ...(fields.requestId && {
        hint: `quote request id ${fields.requestId} to Alibaba Cloud support`,
      }),
      ...(status !== undefined && { status }),
      stage: 'send',
    },
  );
};

/** A `ConnectorError` for an Alibaba Cloud error answered by `provider` ("Aliyun Direct Mail"). */
export const aliyunRpcError = (
  fields: AliyunRpcErrorFields,
  provider: string,
  status?: number,
): ConnectorError => {
  const code = mapAliyunErrorCode(fields.code);
  if (signatureMismatchCodes.has(fields.code)) {
    return signatureMismatchError(fields, provider, status);
  }
  const clockHint =
    fields.code === 'InvalidTimeStamp.Expired'
      ? 'check that the server clock is synchronised: the request timestamp is UTC'
      : undefined;
  const requestHint = fields.requestId
    ? `quote request id ${fields.requestId} to Alibaba Cloud support`
    : undefined;
  const hint = [clockHint, requestHint].filter(Boolean).join('; ');
  return connectorError(
    code,
    `${provider} answered \`${fields.code}\`${fields.message ? `: ${fields.message}` : ''}${clockHint ? ` (${clockHint})` : ''}`,
    {
      provider,
      providerCode: fields.code,
      ...(fields.message && { description: fields.message }),
      // Aliyun's `Recommend`: its diagnosis page for this request.
      ...(fields.recommend && { errorUri: fields.recommend }),
      ...(hint && { hint }),
      ...(status !== undefined && { status }),
      stage: 'send',
    },
  );
};
