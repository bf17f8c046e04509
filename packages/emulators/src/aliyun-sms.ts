import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { HttpResponse, http } from 'msw';
import { createAliyunRpcGateway } from './aliyun-rpc-gateway';
import { listenOnLoopback, readBody, stopServer } from './emulator-http';
import type { SmsInboxMessage } from './sms-inbox';

/**
 * An Aliyun (Alibaba Cloud) Short Message Service emulator: `SendSms` (version 2017-05-25) behind
 * the RPC-style API, at `https://dysmsapi.aliyuncs.com/`. The gateway's checks (signature,
 * timestamp, nonce, access key) are the ones the Direct Mail emulator runs (aliyun-rpc-gateway.ts).
 * Sources:
 * - SendSms: https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms
 * - Its error codes (business errors come with HTTP 200 and `Code`):
 *   https://help.aliyun.com/zh/sms/developer-reference/api-error-codes
 * Templates use `${name}` variables; accepted texts land in an SMS inbox, rendered.
 */

export const aliyunSmsHost = 'dysmsapi.aliyuncs.com';

/** HTTP status and message of the codes the emulator answers with (or a test forces). */
export const aliyunSmsErrors = {
  MissingParameter: { status: 400, message: 'The input parameter is mandatory.' },
  UnsupportedHTTPMethod: { status: 400, message: 'The specified HTTP method is not supported.' },
  IncompleteSignature: {
    status: 400,
    message: 'The request signature does not conform to Aliyun standards.',
  },
  'InvalidTimeStamp.Format': {
    status: 400,
    message: 'Specified time stamp or date value is not well formatted.',
  },
  'InvalidTimeStamp.Expired': {
    status: 400,
    message: 'Specified time stamp or date value is expired.',
  },
  SignatureNonceUsed: { status: 400, message: 'Specified signature nonce was used already.' },
  SignatureDoesNotMatch: {
    status: 400,
    message: 'Specified signature is not matched with our calculation.',
  },
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' },
  'InvalidAction.NotFound': { status: 404, message: 'Specified api is not found.' },
  'Throttling.User': { status: 400, message: 'Request was denied due to user flow control.' },
  'isv.BUSINESS_LIMIT_CONTROL': { status: 200, message: '触发分钟级流控Permits:1' },
  'isv.MOBILE_NUMBER_ILLEGAL': { status: 200, message: '非法手机号' },
  'isv.SMS_SIGNATURE_ILLEGAL': { status: 200, message: '该账号下找不到对应签名' },
  'isv.SMS_TEMPLATE_ILLEGAL': { status: 200, message: '该账号下找不到对应模板' },
  'isv.AMOUNT_NOT_ENOUGH': { status: 200, message: '账户余额不足' },
} as const satisfies Record<string, { status: number; message: string }>;

export type AliyunSmsErrorCode = keyof typeof aliyunSmsErrors;

export type AliyunSmsEmulatorOptions = {
  /** AccessKeyId -> AccessKeySecret. */
  accounts: Record<string, string>;
  /** Approved signatures; any when unset. */
  signNames?: string[];
  /** Template code -> template text with `${code}`-style variables. */
  templates: Record<string, string>;
  /** How far `Timestamp` may be from the clock. @default 15 minutes */
  maxClockSkewMs?: number;
};

/** One accepted SendSms call. */
export type AliyunSmsMessage = {
  phoneNumbers: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, unknown>;
  text: string;
  params: Record<string, string>;
  bizId: string;
};

export type AliyunSmsBackend = {
  messages: AliyunSmsMessage[];
  inbox: SmsInboxMessage[];
  requests: Array<{ params: Record<string, string>; status: number; code: string }>;
  forceError(code: AliyunSmsErrorCode, times?: number): void;
  reset(): void;
  handle(request: { method: string; body: string; query: string }): {
    status: number;
    body: unknown;
  };
};

const smsRequired = ['PhoneNumbers', 'SignName', 'TemplateCode'];
/** Mainland (11 digits, optional +86/0086/86) or international (country code and number, no +). */
const acceptedNumber = /^(?:(?:\+86|0086|86)?1\d{10}|[1-9]\d{6,14})$/;

export const createAliyunSmsBackend = (options: AliyunSmsEmulatorOptions): AliyunSmsBackend => {
  const messages: AliyunSmsMessage[] = [];
  const inbox: SmsInboxMessage[] = [];
  const requests: AliyunSmsBackend['requests'] = [];
  const forced: AliyunSmsErrorCode[] = [];
  const gateway = createAliyunRpcGateway(options);

  const fail = (code: AliyunSmsErrorCode, message?: string) => ({
    status: aliyunSmsErrors[code].status as number,
    body: {
      Code: code,
      Message: message ?? aliyunSmsErrors[code].message,
      RequestId: randomUUID().toUpperCase(),
      ...(code.startsWith('isv.')
        ? {}
        : { HostId: aliyunSmsHost, Recommend: 'https://api.aliyun.com/troubleshoot' }),
    },
  });

  const answer = (method: string, params: Record<string, string>) => {
    const authenticated = gateway.authenticate(method, params);
    if (!authenticated.ok) {
      return fail(authenticated.code, authenticated.message);
    }
    if (params.Action !== 'SendSms' || params.Version !== '2017-05-25') {
      return fail('InvalidAction.NotFound');
    }
    const missingSms = smsRequired.find((name) => !params[name]);
    if (missingSms) {
      return fail('MissingParameter', `The input parameter "${missingSms}" is mandatory.`);
    }
    const next = forced.shift();
    if (next) {
      return fail(next);
    }
    if (!acceptedNumber.test(params.PhoneNumbers ?? '')) {
      return fail('isv.MOBILE_NUMBER_ILLEGAL');
    }
    if (options.signNames && !options.signNames.includes(params.SignName ?? '')) {
      return fail('isv.SMS_SIGNATURE_ILLEGAL');
    }
    const template = options.templates[params.TemplateCode ?? ''];
    if (template === undefined) {
      return fail('isv.SMS_TEMPLATE_ILLEGAL');
    }
    let templateParam: Record<string, unknown> = {};
    try {
      templateParam = params.TemplateParam
        ? (JSON.parse(params.TemplateParam) as Record<string, unknown>)
        : {};
    } catch {
      return fail('isv.SMS_TEMPLATE_ILLEGAL', 'TemplateParam is not JSON');
    }
    const text = `【${params.SignName}】${template.replace(/\$\{(\w+)\}/g, (_, name: string) => String(templateParam[name] ?? ''))}`;
    const bizId = `${Date.now()}^${Math.floor(Math.random() * 1e10)}`;
    messages.push({
      phoneNumbers: params.PhoneNumbers ?? '',
      signName: params.SignName ?? '',
      templateCode: params.TemplateCode ?? '',
      templateParam,
      text,
      params,
      bizId,
    });
    inbox.push({
      provider: 'aliyun-sms',
      to: params.PhoneNumbers ?? '',
      text,
      template: params.TemplateCode ?? '',
      receivedAt: new Date(),
    });
    return {
      status: 200,
      body: { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: randomUUID().toUpperCase() },
    };
  };

  return {
    messages,
    inbox,
    requests,
    forceError(code, times = 1) {
      for (let index = 0; index < times; index += 1) {
        forced.push(code);
      }
    },
    reset() {
      messages.length = 0;
      inbox.length = 0;
      requests.length = 0;
      forced.length = 0;
      gateway.reset();
    },
    handle({ method, body, query }) {
      const params = Object.fromEntries([
        ...new URLSearchParams(query),
        ...(method === 'POST' ? new URLSearchParams(body) : []),
      ]);
      const result = answer(method.toUpperCase(), params);
      requests.push({
        params,
        status: result.status,
        code: String((result.body as { Code: string }).Code),
      });
      return result;
    },
  };
};

/** msw handlers for SMS's real endpoint, answering from `backend`. */
export const aliyunSmsHandlers = (backend: AliyunSmsBackend) => [
  http.all(`https://${aliyunSmsHost}/`, async ({ request }) => {
    const result = backend.handle({
      method: request.method,
      body: await request.text(),
      query: new URL(request.url).search,
    });
    return HttpResponse.json(result.body as Record<string, unknown>, { status: result.status });
  }),
];

export type AliyunSmsEmulator = {
  /** `http://127.0.0.1:<port>/`: the connector's `endpoint`. */
  url: string;
  backend: AliyunSmsBackend;
  inbox: SmsInboxMessage[];
  /** A ready config for `@idplug/connector-aliyun-sms` pointing here. */
  connectorConfig: Record<string, unknown>;
  stop(): Promise<void>;
};

/** Serves the emulator on 127.0.0.1 and a free port (playground, real-socket tests). */
export const startAliyunSmsEmulator = async (
  options: AliyunSmsEmulatorOptions = {
    accounts: { 'emulator-access-key-id': 'emulator-access-key-secret' },
    signNames: ['idplug'],
    templates: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Aliyun's template variable syntax
      SMS_000000001: '您的验证码为${code}，10分钟内有效。',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Aliyun's template variable syntax
      SMS_000000002: 'Your verification code is ${code}. It expires in 10 minutes.',
    },
  },
): Promise<AliyunSmsEmulator> => {
  const backend = createAliyunSmsBackend(options);
  const server = createServer(async (request, response) => {
    const result = backend.handle({
      method: request.method ?? 'GET',
      body: await readBody(request),
      query: new URL(request.url ?? '/', 'http://127.0.0.1').search,
    });
    response.writeHead(result.status, { 'content-type': 'application/json;charset=utf-8' });
    response.end(JSON.stringify(result.body));
  });
  const { port } = await listenOnLoopback(server, 0);
  const url = `http://127.0.0.1:${port}/`;
  const [accessKeyId, accessKeySecret] = Object.entries(options.accounts)[0] ?? ['', ''];
  const [china, overseas] = Object.keys(options.templates);
  return {
    url,
    backend,
    inbox: backend.inbox,
    connectorConfig: {
      accessKeyId,
      accessKeySecret,
      signName: options.signNames?.[0] ?? 'idplug',
      endpoint: url,
      templates: [{ usageType: 'Generic', templateCode: { china, overseas: overseas ?? china } }],
    },
    stop: () => stopServer(server),
  };
};
