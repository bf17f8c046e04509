/**
 * An Aliyun (Alibaba Cloud) Direct Mail emulator: `SingleSendMail` behind the RPC-style API,
 * with the request signature (SignatureVersion 1.0, HMAC-SHA1) verified by an implementation
 * written here from the documentation, independently of any connector's signer.
 *
 * Sources:
 * - Endpoints per region: https://www.alibabacloud.com/help/en/direct-mail/api-endpoints
 * - SingleSendMail parameters and errors:
 *   https://www.alibabacloud.com/help/en/direct-mail/singlesendmail and
 *   https://www.alibabacloud.com/help/en/directmail/latest/singlesendmail
 * - Common parameters and the V2 RPC signature:
 *   https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism
 * - Signature worked example (ECS DescribeRegions, AccessKeySecret "testsecret"):
 *   https://www.alibabacloud.com/help/doc-detail/25492.htm (ECS API reference, "Signature")
 * - Gateway errors: https://help.aliyun.com/zh/direct-mail/error-codes and the POP gateway
 *   table in https://help.aliyun.com/document_detail/48054.html
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { HttpHandler } from 'msw';
import { HttpResponse, http } from 'msw';
import { createAliyunRpcGateway } from './aliyun-rpc-gateway';
import { listenOnLoopback } from './emulator-http';

// ---------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------

/**
 * Direct Mail API endpoints, as listed on the "API endpoints" page (checked 2025-10 version).
 * Labels follow that page; note it calls ap-southeast-2 "United States (formerly Sydney)"
 * (older and translated copies still say "Australia (Sydney)").
 */
export const aliyunDmEndpoints = {
  'cn-hangzhou': {
    label: 'China (Hangzhou)',
    host: 'dm.aliyuncs.com',
    vpcHost: 'dm-vpc.cn-hangzhou.aliyuncs.com',
  },
  'ap-southeast-1': {
    label: 'Singapore',
    host: 'dm.ap-southeast-1.aliyuncs.com',
    vpcHost: 'dm-vpc.ap-southeast-1.aliyuncs.com',
  },
  'ap-southeast-2': {
    label: 'United States (formerly Sydney)',
    host: 'dm.ap-southeast-2.aliyuncs.com',
    vpcHost: 'dm-vpc.ap-southeast-2.aliyuncs.com',
  },
  'us-east-1': {
    label: 'United States (new)',
    host: 'dm.us-east-1.aliyuncs.com',
    vpcHost: 'dm-vpc.us-east-1.aliyuncs.com',
  },
  'eu-central-1': {
    label: 'Germany (Frankfurt)',
    host: 'dm.eu-central-1.aliyuncs.com',
    vpcHost: 'dm-vpc.eu-central-1.aliyuncs.com',
  },
} as const;

export type AliyunDmRegionId = keyof typeof aliyunDmEndpoints;

const regionOfHost = (host: string): AliyunDmRegionId | undefined =>
  (Object.keys(aliyunDmEndpoints) as AliyunDmRegionId[]).find(
    (region) =>
      aliyunDmEndpoints[region].host === host || aliyunDmEndpoints[region].vpcHost === host,
  );

// ---------------------------------------------------------------------------
// The RPC signature and the gateway's common checks: aliyun-rpc-gateway.ts, shared with the
// Aliyun SMS emulator
// ---------------------------------------------------------------------------

export {
  aliyunPercentEncode,
  aliyunRpcStringToSign,
  signAliyunRpcRequest,
  verifyAliyunRpcSignature,
} from './aliyun-rpc-gateway';

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/**
 * The error codes this emulator answers with (on its own when a request is wrong, or when a test
 * forces one), with the HTTP status and message Aliyun documents. Sources, per row:
 * - [gw] POP gateway table (help.aliyun.com/document_detail/48054.html) and Direct Mail's
 *   "error codes" page (help.aliyun.com/zh/direct-mail/error-codes): MissingParameter,
 *   Forbidden, ServiceUnavailable, InternalError, InvalidTimeStamp.*, SignatureNonceUsed,
 *   SignatureDoesNotMatch, Throttling.User (400, "Request was denied due to user flow control.").
 * - [ak] InvalidAccessKeyId.NotFound is 404 in the common-error tables (e.g. the KMS and ECS
 *   "responses" pages, doc-detail/69008); a few older product tables print 400.
 * - [dm] SingleSendMail's own table (alibabacloud.com/help/en/directmail/latest/singlesendmail)
 *   and the full list quoted on developer.aliyun.com/ask/278330: InvalidMailAddress.NotFound,
 *   InvalidMailAddressStatus.Malformed, InvalidMailAddressDomain.Malformed, InvalidToAddress,
 *   InvalidToAddress.Spam, InvalidBody, InvalidSendMail.Spam ("Sendmail rejected by spam
 *   filter"; the Chinese text adds: check account status, frequency over limit, quota),
 *   InvalidSubject.Malformed, InvalidFromAlias.Malformed, InvalidMailAddressSendType.Malformed.
 * - [emu] Not found in the docs with a status; chosen here and marked as such:
 *   IncompleteSignature, InvalidVersion, InvalidAction.NotFound, InvalidParameter,
 *   UnsupportedHTTPMethod.
 * Direct Mail documents no separate "quota exhausted" code for SingleSendMail; force any code
 * (`{ code, status, message }`) to test one.
 */
export const aliyunDmErrors = {
  MissingParameter: {
    status: 400,
    message: 'The input parameter that is mandatory for processing this request is not supplied.',
  }, // [gw]
  Forbidden: { status: 400, message: 'User not authorized to operate on the specified resource.' }, // [gw]
  'InvalidTimeStamp.Format': {
    status: 400,
    message: 'Specified time stamp or date value is not well formatted.',
  }, // [gw]
  'InvalidTimeStamp.Expired': {
    status: 400,
    message: 'Specified time stamp or date value is expired.',
  }, // [gw]
  SignatureNonceUsed: { status: 400, message: 'Specified signature nonce was used already.' }, // [gw]
  SignatureDoesNotMatch: {
    status: 400,
    message: 'Specified signature is not matched with our calculation.',
  }, // [gw]
  'Throttling.User': { status: 400, message: 'Request was denied due to user flow control.' }, // [gw]
  ServiceUnavailable: {
    status: 503,
    message: 'The request has failed due to a temporary failure of the server.',
  }, // [gw]
  InternalError: {
    status: 500,
    message: 'The request processing has failed due to some unknown error, exception or failure.',
  }, // [gw]
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' }, // [ak]
  'InvalidMailAddress.NotFound': {
    status: 400,
    message: 'The specified mailAddress does not exist.',
  }, // [dm]
  'InvalidMailAddressStatus.Malformed': {
    status: 400,
    message: 'The specified mailAddress status is wrongly formed.',
  }, // [dm]
  'InvalidMailAddressDomain.Malformed': {
    status: 400,
    message: 'The specified mailAddress domain does not exist.',
  }, // [dm]
  'InvalidMailAddressSendType.Malformed': {
    status: 400,
    message: 'The specified mailAddress sendType is wrongly formed.',
  }, // [dm]
  InvalidToAddress: { status: 400, message: 'The specified toAddress is wrongly formed.' }, // [dm]
  'InvalidToAddress.Spam': { status: 400, message: 'Sendmail rejected by invalid address.' }, // [dm]
  InvalidBody: { status: 400, message: 'The specified textBody or htmlBody is wrongly formed.' }, // [dm]
  'InvalidSendMail.Spam': { status: 400, message: 'Sendmail rejected by spam filter.' }, // [dm]
  'InvalidSubject.Malformed': { status: 400, message: 'The specified subject is wrongly formed.' }, // [dm]
  'InvalidFromAlias.Malformed': {
    status: 400,
    message: 'The specified fromAlias is wrongly formed.',
  }, // [dm]
  IncompleteSignature: {
    status: 400,
    message: 'The request signature does not conform to Aliyun standards.',
  }, // [emu]
  InvalidVersion: { status: 400, message: 'Specified parameter Version is not valid.' }, // [emu]
  'InvalidAction.NotFound': {
    status: 404,
    message: 'Specified api is not found, please check your url and method.',
  }, // [emu]
  InvalidParameter: { status: 400, message: 'The specified parameter is not valid.' }, // [emu]
  UnsupportedHTTPMethod: { status: 400, message: 'The specified HTTP method is not supported.' }, // [emu]
} as const satisfies Record<string, { status: number; message: string }>;

export type AliyunDmErrorCode = keyof typeof aliyunDmErrors;

/** Aliyun's JSON error body. */
export type AliyunDmErrorBody = {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
};

/** SingleSendMail's JSON success body. */
export type AliyunDmSuccessBody = {
  RequestId: string;
  EnvId: string;
};

/** An error a test wants the next request(s) to get; a known code fills in status and message. */
export type AliyunDmForcedError =
  | AliyunDmErrorCode
  | { code: string; status?: number; message?: string };

// ---------------------------------------------------------------------------
// The request handler shared by the msw handlers and the HTTP server
// ---------------------------------------------------------------------------

export type AliyunDmEmulatorOptions = {
  /** AccessKey pairs the emulator knows: AccessKeyId → AccessKeySecret. */
  accounts: Record<string, string>;
  /**
   * Sender addresses configured "in the console"; any other AccountName gets
   * `InvalidMailAddress.NotFound`.
   * @default undefined (every AccountName accepted)
   */
  senders?: string[];
  /**
   * How far Timestamp may be from the emulator's clock; Aliyun allows 15 minutes.
   * @default 900_000
   */
  maxClockSkewMs?: number;
  /** The emulator's clock. @default Date.now */
  now?: () => number;
};

/** One accepted SingleSendMail call. */
export type AliyunDmMail = {
  /** The region whose host was called; undefined for a custom endpoint (e.g. the HTTP emulator). */
  region: AliyunDmRegionId | undefined;
  host: string;
  method: 'GET' | 'POST';
  accessKeyId: string;
  accountName: string;
  addressType: number;
  replyToAddress: boolean;
  toAddress: string[];
  subject: string;
  htmlBody: string | undefined;
  textBody: string | undefined;
  fromAlias: string | undefined;
  /** Every parameter as received (decoded), including the common ones and Signature. */
  params: Record<string, string>;
  requestId: string;
  envId: string;
  receivedAt: Date;
};

/** Every request the emulator answered, for asserting on retries and error paths. */
export type AliyunDmRequestRecord = {
  method: string;
  host: string;
  region: AliyunDmRegionId | undefined;
  params: Record<string, string>;
  status: number;
  code: string | undefined;
};

export type AliyunDmRequest = {
  method: string;
  url: string;
  headers?: Headers | IncomingHttpHeaders | Record<string, string | undefined>;
  body?: string;
};

export type AliyunDmResponse = {
  status: number;
  /** The response as an object, whatever `Format` the client asked for. */
  json: AliyunDmSuccessBody | AliyunDmErrorBody;
  /** `JSON` when the client sent `Format=JSON`; Aliyun's default is XML. */
  format: 'JSON' | 'XML';
  contentType: string;
  body: string;
};

export type AliyunDmBackend = {
  readonly options: AliyunDmEmulatorOptions;
  /** Accepted mails in arrival order. */
  mails: AliyunDmMail[];
  /** Every request answered, accepted or not. */
  requests: AliyunDmRequestRecord[];
  /**
   * Answer the next `times` well-formed, correctly signed SingleSendMail requests with this
   * error instead of sending. Queued errors are used in order.
   */
  forceError(error: AliyunDmForcedError, times?: number): void;
  /**
   * Hold the next `times` requests for `ms` milliseconds before answering (`'forever'`: until
   * `releaseHeldRequests()`, `reset()` or the HTTP emulator's `stop()`), to test client timeouts.
   */
  delayNext(ms: number | 'forever', times?: number): void;
  /** Answer every held request now. */
  releaseHeldRequests(): void;
  /** Forget mails, requests, used nonces, forced errors and delays (releasing held requests). */
  reset(): void;
  /** Handles one HTTP request; the msw handlers and the HTTP emulator both call this. */
  handle(request: AliyunDmRequest): Promise<AliyunDmResponse>;
};

// The documented recipient rule (developer.aliyun.com/ask/278330, InvalidToAddress): an @, and
// local part and domain made of digits, letters, underscore, minus and dot (plus `+` in
// practice, which the console's EmailFormatError rule allows).
const recipientPattern = /^[A-Za-z0-9_.+-]+@[A-Za-z0-9_.-]+\.[A-Za-z0-9_-]+$/;
const singleSendMailRequired = [
  'AccountName',
  'AddressType',
  'ReplyToAddress',
  'ToAddress',
  'Subject',
] as const;

class AliyunDmError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  static of(code: AliyunDmErrorCode, message?: string): AliyunDmError {
    return new AliyunDmError(
      code,
      aliyunDmErrors[code].status,
      message ?? aliyunDmErrors[code].message,
    );
  }
}

const headerValue = (headers: AliyunDmRequest['headers'], name: string): string | undefined => {
  if (!headers) {
    return undefined;
  }
  if (headers instanceof Headers) {
    return headers.get(name) ?? undefined;
  }
  const value = (headers as Record<string, string | string[] | undefined>)[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);

const render = (
  status: number,
  json: AliyunDmSuccessBody | AliyunDmErrorBody,
  format: 'JSON' | 'XML',
): AliyunDmResponse => {
  if (format === 'JSON') {
    return {
      status,
      json,
      format,
      contentType: 'application/json;charset=utf-8',
      body: JSON.stringify(json),
    };
  }
  const root = 'Code' in json ? 'Error' : 'SingleSendMailResponse';
  const fields = Object.entries(json)
    .map(([key, value]) => `<${key}>${escapeXml(String(value))}</${key}>`)
    .join('');
  return {
    status,
    json,
    format,
    contentType: 'text/xml;charset=utf-8',
    body: `<?xml version='1.0' encoding='UTF-8'?><${root}>${fields}</${root}>`,
  };
};

/** Creates the emulator's state and request handler, to serve through msw or HTTP (or both). */
export const createAliyunDmBackend = (options: AliyunDmEmulatorOptions): AliyunDmBackend => {
  const now = options.now ?? Date.now;
  const gateway = createAliyunRpcGateway(options);
  const forcedErrors: AliyunDmForcedError[] = [];
  const delays: Array<number | 'forever'> = [];
  const heldRequests = new Set<() => void>();
  const mails: AliyunDmMail[] = [];
  const requests: AliyunDmRequestRecord[] = [];

  const hold = (delay: number | 'forever') =>
    new Promise<void>((resolve) => {
      const release = () => {
        heldRequests.delete(release);
        clearTimeout(timer);
        resolve();
      };
      const timer = delay === 'forever' ? undefined : setTimeout(release, delay);
      heldRequests.add(release);
    });

  const readParams = (request: AliyunDmRequest, url: URL): Record<string, string> => {
    const params: Record<string, string> = {};
    const take = (search: URLSearchParams) => {
      for (const [name, value] of search) {
        if (!(name in params)) {
          params[name] = value;
        }
      }
    };
    take(url.searchParams);
    const contentType = headerValue(request.headers, 'content-type') ?? '';
    // RPC parameters in a POST travel form-encoded; a body of another type is not read, as the
    // gateway would not read it (the request then lacks its parameters).
    if (
      request.method.toUpperCase() === 'POST' &&
      request.body &&
      (contentType === '' || contentType.includes('application/x-www-form-urlencoded'))
    ) {
      take(new URLSearchParams(request.body));
    }
    return params;
  };

  const check = (method: string, params: Record<string, string>): { accessKeyId: string } => {
    const authenticated = gateway.authenticate(method, params);
    if (!authenticated.ok) {
      throw AliyunDmError.of(authenticated.code, authenticated.message);
    }
    const { accessKeyId } = authenticated;
    if (params.Version !== '2015-11-23' && params.Version !== '2017-06-22') {
      throw AliyunDmError.of('InvalidVersion');
    }
    if (params.Action !== 'SingleSendMail') {
      throw AliyunDmError.of('InvalidAction.NotFound');
    }
    for (const name of singleSendMailRequired) {
      if (!params[name]) {
        throw AliyunDmError.of(
          'MissingParameter',
          `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
        );
      }
    }
    if (options.senders && !options.senders.includes(params.AccountName ?? '')) {
      throw AliyunDmError.of('InvalidMailAddress.NotFound');
    }
    if (params.AddressType !== '0' && params.AddressType !== '1') {
      throw AliyunDmError.of(
        'InvalidParameter',
        'The specified parameter "AddressType" is not valid.',
      );
    }
    if (params.ReplyToAddress !== 'true' && params.ReplyToAddress !== 'false') {
      throw AliyunDmError.of(
        'InvalidParameter',
        'The specified parameter "ReplyToAddress" is not valid.',
      );
    }
    const recipients = (params.ToAddress ?? '').split(',').map((address) => address.trim());
    if (recipients.length > 100 || recipients.some((address) => !recipientPattern.test(address))) {
      throw AliyunDmError.of('InvalidToAddress');
    }
    // The console's limits: subject up to 100 characters, alias up to 15 (SingleSendMail page).
    if ([...(params.Subject ?? '')].length > 100) {
      throw AliyunDmError.of('InvalidSubject.Malformed');
    }
    if (params.FromAlias !== undefined && [...params.FromAlias].length > 15) {
      throw AliyunDmError.of('InvalidFromAlias.Malformed');
    }
    if (!params.HtmlBody && !params.TextBody) {
      throw AliyunDmError.of('InvalidBody');
    }
    return { accessKeyId };
  };

  const backend: AliyunDmBackend = {
    options,
    mails,
    requests,

    forceError(error, times = 1) {
      for (let index = 0; index < times; index += 1) {
        forcedErrors.push(error);
      }
    },

    delayNext(ms, times = 1) {
      for (let index = 0; index < times; index += 1) {
        delays.push(ms);
      }
    },

    releaseHeldRequests() {
      for (const release of [...heldRequests]) {
        release();
      }
    },

    reset() {
      mails.length = 0;
      requests.length = 0;
      gateway.reset();
      forcedErrors.length = 0;
      delays.length = 0;
      backend.releaseHeldRequests();
    },

    async handle(request) {
      const delay = delays.shift();
      if (delay !== undefined) {
        await hold(delay);
      }
      const url = new URL(request.url);
      const host = url.host;
      const region = regionOfHost(url.hostname);
      const method = request.method.toUpperCase();
      const params = readParams(request, url);
      const format = params.Format?.toUpperCase() === 'JSON' ? 'JSON' : 'XML';
      const requestId = randomUUID().toUpperCase();

      try {
        const { accessKeyId } = check(method, params);
        const forced = forcedErrors.shift();
        if (forced !== undefined) {
          const spec = typeof forced === 'string' ? { code: forced } : forced;
          const known = (aliyunDmErrors as Record<string, { status: number; message: string }>)[
            spec.code
          ];
          throw new AliyunDmError(
            spec.code,
            spec.status ?? known?.status ?? 400,
            spec.message ?? known?.message ?? spec.code,
          );
        }
        const envId = String(600_000_000_000 + Math.floor(Math.random() * 1e11));
        mails.push({
          region,
          host,
          method: method as 'GET' | 'POST',
          accessKeyId,
          accountName: params.AccountName ?? '',
          addressType: Number(params.AddressType),
          replyToAddress: params.ReplyToAddress === 'true',
          toAddress: (params.ToAddress ?? '').split(',').map((address) => address.trim()),
          subject: params.Subject ?? '',
          htmlBody: params.HtmlBody,
          textBody: params.TextBody,
          fromAlias: params.FromAlias,
          params,
          requestId,
          envId,
          receivedAt: new Date(now()),
        });
        requests.push({ method, host, region, params, status: 200, code: undefined });
        return render(200, { RequestId: requestId, EnvId: envId }, format);
      } catch (error) {
        if (!(error instanceof AliyunDmError)) {
          throw error;
        }
        requests.push({ method, host, region, params, status: error.status, code: error.code });
        return render(
          error.status,
          {
            RequestId: requestId,
            HostId: url.hostname,
            Code: error.code,
            Message: error.message,
            Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Dm&requestId=${requestId}`,
          },
          format,
        );
      }
    },
  };
  return backend;
};

const backendOf = (source: AliyunDmEmulatorOptions | AliyunDmBackend): AliyunDmBackend =>
  'handle' in source ? source : createAliyunDmBackend(source);

// ---------------------------------------------------------------------------
// msw handlers for the real URLs
// ---------------------------------------------------------------------------

/**
 * msw 2 handlers (GET and POST) for every region's public and VPC endpoint
 * (`https://dm.aliyuncs.com/`, `https://dm.ap-southeast-1.aliyuncs.com/`, …).
 * Pass a backend from `createAliyunDmBackend` to read `mails` and force errors, or options to
 * get a fresh backend at `handlers.backend`.
 */
export const aliyunDmHandlers = (
  source: AliyunDmEmulatorOptions | AliyunDmBackend,
): HttpHandler[] & { backend: AliyunDmBackend } => {
  const backend = backendOf(source);
  const hosts = Object.values(aliyunDmEndpoints).flatMap((endpoint) => [
    endpoint.host,
    endpoint.vpcHost,
  ]);
  const handlers = hosts.flatMap((host) =>
    (['post', 'get'] as const).map((verb) =>
      http[verb](`https://${host}/`, async ({ request }) => {
        const response = await backend.handle({
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: await request.text(),
        });
        return new HttpResponse(response.body, {
          status: response.status,
          headers: { 'Content-Type': response.contentType },
        });
      }),
    ),
  );
  return Object.assign(handlers, { backend });
};

// ---------------------------------------------------------------------------
// A real HTTP server on loopback
// ---------------------------------------------------------------------------

export type AliyunDmEmulator = {
  /** `http://127.0.0.1:<port>/`, to use as the connector's custom endpoint. */
  url: string;
  port: number;
  mails: AliyunDmMail[];
  backend: AliyunDmBackend;
  stop(): Promise<void>;
};

/**
 * Serves the same emulator over plain HTTP on 127.0.0.1 and a free port, for the playground and
 * for fault tests that need a real socket. Mails land in `backend.mails` with `region` undefined.
 */
export const startAliyunDmEmulator = async (
  source: AliyunDmEmulatorOptions | AliyunDmBackend,
): Promise<AliyunDmEmulator> => {
  const backend = backendOf(source);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      backend
        .handle({
          method: request.method ?? 'GET',
          url: `http://${request.headers.host ?? '127.0.0.1'}${request.url ?? '/'}`,
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        })
        .then((result) => {
          if (!response.destroyed) {
            response.writeHead(result.status, { 'Content-Type': result.contentType });
            response.end(result.body);
          }
        })
        .catch((error: unknown) => {
          response.destroy(error instanceof Error ? error : new Error(String(error)));
        });
    });
  });
  const { port } = await listenOnLoopback(server, 0);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    mails: backend.mails,
    backend,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      backend.releaseHeldRequests();
      await closed;
    },
  };
};
