/**
 * What Alibaba Cloud's RPC gateway checks before any product sees a request, shared by the Direct
 * Mail and SMS emulators: the common parameters, the signature method, the timestamp window, the
 * access key, the signature (SignatureVersion 1.0, HMAC-SHA1, written here from the documentation,
 * independently of any connector's signer) and the nonce.
 *
 * Sources: https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism and the worked
 * example in https://www.alibabacloud.com/help/doc-detail/25492.htm (ECS API reference, "Signature").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const Unreserved = /[A-Za-z0-9\-_.~]/;

/**
 * RFC 3986 percent-encoding as the RPC signature requires: UTF-8 bytes, only
 * `A-Z a-z 0-9 - _ . ~` left as they are, everything else `%XY` in upper-case hex (so a space
 * is `%20`, and `! ' ( ) *` are encoded too).
 */
export const aliyunPercentEncode = (value: string): string => {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded +=
      byte < 0x80 && Unreserved.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
};

/**
 * `HTTPMethod & percentEncode("/") & percentEncode(CanonicalizedQueryString)`, where the
 * canonicalized query string is every parameter but `Signature`, sorted by name (code-unit
 * order, like Java's `Arrays.sort` in the documented sample), as `encode(name)=encode(value)`
 * joined with `&`.
 */
export const aliyunRpcStringToSign = (method: string, params: Record<string, string>): string => {
  const canonicalized = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort((left, right) => (left < right ? -1 : left > right ? 1 : 0))
    .map((name) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(params[name] ?? '')}`)
    .join('&');
  return `${method.toUpperCase()}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonicalized)}`;
};

/** `Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))`; a `Signature` entry in `params` is ignored. */
export const signAliyunRpcRequest = (
  method: string,
  params: Record<string, string>,
  accessKeySecret: string,
): string => {
  return createHmac('sha1', `${accessKeySecret}&`)
    .update(aliyunRpcStringToSign(method, params), 'utf8')
    .digest('base64');
};

/** Whether `params.Signature` is the signature of the other parameters under `accessKeySecret`. */
export const verifyAliyunRpcSignature = (
  method: string,
  params: Record<string, string>,
  accessKeySecret: string,
): boolean => {
  const given = Buffer.from(params.Signature ?? '', 'utf8');
  const expected = Buffer.from(signAliyunRpcRequest(method, params, accessKeySecret), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/** The gateway's error codes; each emulator answers them with its product's status and body. */
export type AliyunRpcGatewayErrorCode =
  | 'UnsupportedHTTPMethod'
  | 'MissingParameter'
  | 'IncompleteSignature'
  | 'InvalidTimeStamp.Format'
  | 'InvalidTimeStamp.Expired'
  | 'InvalidAccessKeyId.NotFound'
  | 'SignatureDoesNotMatch'
  | 'SignatureNonceUsed';

export type AliyunRpcGatewayResult =
  | { ok: true; accessKeyId: string }
  | { ok: false; code: AliyunRpcGatewayErrorCode; message?: string };

export type AliyunRpcGatewayOptions = {
  /** AccessKeyId -> AccessKeySecret. */
  accounts: Record<string, string>;
  /** How far `Timestamp` may be from the clock; Aliyun allows 15 minutes. @default 900_000 */
  maxClockSkewMs?: number;
  /** @default Date.now */
  now?: () => number;
};

const defaultMaxSkewMs = 15 * 60 * 1000;
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
const commonRequired = [
  'Action',
  'Version',
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
] as const;

/** The gateway's checks, with the nonces it has seen (per access key). */
export const createAliyunRpcGateway = (options: AliyunRpcGatewayOptions) => {
  const now = options.now ?? Date.now;
  const maxSkew = options.maxClockSkewMs ?? defaultMaxSkewMs;
  const usedNonces = new Set<string>();
  const fail = (code: AliyunRpcGatewayErrorCode, message?: string): AliyunRpcGatewayResult => ({
    ok: false,
    code,
    ...(message !== undefined && { message }),
  });

  const authenticate = (method: string, params: Record<string, string>): AliyunRpcGatewayResult => {
    if (method !== 'GET' && method !== 'POST') {
      return fail('UnsupportedHTTPMethod');
    }
    for (const name of commonRequired) {
      if (!params[name]) {
        return fail(
          'MissingParameter',
          `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
        );
      }
    }
    if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') {
      return fail('IncompleteSignature');
    }
    const timestamp = params.Timestamp ?? '';
    if (!timestampPattern.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
      return fail('InvalidTimeStamp.Format');
    }
    if (Math.abs(now() - Date.parse(timestamp)) > maxSkew) {
      return fail('InvalidTimeStamp.Expired');
    }
    const accessKeyId = params.AccessKeyId ?? '';
    const secret = Object.hasOwn(options.accounts, accessKeyId)
      ? options.accounts[accessKeyId]
      : undefined;
    if (secret === undefined) {
      return fail('InvalidAccessKeyId.NotFound');
    }
    if (!verifyAliyunRpcSignature(method, params, secret)) {
      // Aliyun echoes its own string-to-sign so a client can diff it with its own.
      return fail(
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${aliyunRpcStringToSign(method, params)}`,
      );
    }
    const nonceKey = `${accessKeyId}\n${params.SignatureNonce}`;
    if (usedNonces.has(nonceKey)) {
      return fail('SignatureNonceUsed');
    }
    usedNonces.add(nonceKey);
    return { ok: true, accessKeyId };
  };

  return {
    authenticate,
    /** Forgets the nonces seen. */
    reset: () => usedNonces.clear(),
  };
};
