import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { HttpResponse, http } from 'msw';
import { listenOnLoopback, readBody, safeEqual, stopServer } from './emulator-http';
import type { SmsInboxMessage } from './sms-inbox';

/**
 * A Twilio Programmable Messaging emulator: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`
 * with HTTP Basic auth (Account SID and Auth Token), form-encoded parameters, and Twilio's error
 * body `{ code, message, more_info, status }`. Written from Twilio's docs:
 * - Message resource, create: https://www.twilio.com/docs/messaging/api/message-resource
 * - Error codes: https://www.twilio.com/docs/api/errors (20003, 20404, 21211, 21602, 21408,
 *   21610, 21614, 21705, 20429, 30007, ...)
 * Accepted messages land in an SMS inbox (recipient, text, template).
 */

export const twilioApiHost = 'api.twilio.com';

/** Twilio's HTTP status and message for the codes the emulator answers with (or a test forces). */
export const twilioErrors = {
  20003: { status: 401, message: 'Authenticate' },
  20404: { status: 404, message: 'The requested resource was not found' },
  20429: { status: 429, message: 'Too Many Requests' },
  21211: { status: 400, message: "Invalid 'To' Phone Number" },
  21408: { status: 400, message: 'Permission to send an SMS has not been enabled for the region' },
  21602: { status: 400, message: 'Message body is required.' },
  21610: { status: 400, message: 'Attempt to send to unsubscribed recipient' },
  21614: { status: 400, message: "'To' number is not a valid mobile number" },
  21705: { status: 400, message: 'The Messaging Service Sid is invalid.' },
  30007: { status: 400, message: 'Message filtered' },
} as const satisfies Record<number, { status: number; message: string }>;

export type TwilioEmulatorOptions = {
  /** Account SID -> Auth Token. */
  accounts: Record<string, string>;
  /** Messaging Service SIDs that exist; any `MG` + 32 hex when unset. */
  messagingServices?: string[];
};

/** One accepted message, as Twilio received it. */
export type TwilioMessage = {
  sid: string;
  accountSid: string;
  to: string;
  body: string;
  messagingServiceSid: string;
  riskCheck: string | undefined;
  params: Record<string, string>;
};

export type TwilioRequestRecord = {
  path: string;
  authorization: string | undefined;
  params: Record<string, string>;
  status: number;
  code: number | undefined;
};

export type TwilioForcedError =
  | keyof typeof twilioErrors
  | { code: number; status: number; message: string };

export type TwilioBackend = {
  messages: TwilioMessage[];
  inbox: SmsInboxMessage[];
  requests: TwilioRequestRecord[];
  /** The next `times` authenticated sends get this error instead. */
  forceError(error: TwilioForcedError, times?: number): void;
  reset(): void;
  handle(request: { method: string; url: string; authorization?: string; body: string }): {
    status: number;
    body: unknown;
    headers: Record<string, string>;
  };
};

const e164 = /^\+[1-9]\d{3,14}$/;
const pathPattern = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

const errorBody = (code: number, status: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

const credentialsOf = (authorization: string | undefined): [string, string] | undefined => {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
  if (!match?.[1]) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
};

export const createTwilioBackend = (options: TwilioEmulatorOptions): TwilioBackend => {
  const messages: TwilioMessage[] = [];
  const inbox: SmsInboxMessage[] = [];
  const requests: TwilioRequestRecord[] = [];
  const forced: TwilioForcedError[] = [];

  const answer = (code: number, status?: number, message?: string) => {
    const known = (twilioErrors as Record<number, { status: number; message: string }>)[code];
    const finalStatus = status ?? known?.status ?? 400;
    return {
      status: finalStatus,
      body: errorBody(code, finalStatus, message ?? known?.message ?? `Error ${code}`),
      headers: finalStatus === 429 ? { 'retry-after': '1' } : ({} as Record<string, string>),
    };
  };

  const backend: TwilioBackend = {
    messages,
    inbox,
    requests,
    forceError(error, times = 1) {
      for (let index = 0; index < times; index += 1) {
        forced.push(error);
      }
    },
    reset() {
      messages.length = 0;
      inbox.length = 0;
      requests.length = 0;
      forced.length = 0;
    },
    handle({ method, url, authorization, body }) {
      const { pathname } = new URL(url);
      const params = Object.fromEntries(new URLSearchParams(body));
      const result = (() => {
        const accountInPath = pathPattern.exec(pathname)?.[1];
        if (method !== 'POST' || !accountInPath) {
          return answer(20404);
        }
        const credentials = credentialsOf(authorization);
        const token = credentials ? options.accounts[credentials[0]] : undefined;
        if (!credentials || token === undefined || !safeEqual(credentials[1], token)) {
          return answer(20003);
        }
        if (decodeURIComponent(accountInPath) !== credentials[0]) {
          return answer(20404);
        }
        const next = forced.shift();
        if (next !== undefined) {
          return typeof next === 'object'
            ? answer(next.code, next.status, next.message)
            : answer(next);
        }
        const service = params.MessagingServiceSid ?? '';
        const known = options.messagingServices
          ? options.messagingServices.includes(service)
          : /^MG[0-9a-f]{32}$/i.test(service);
        if (!known) {
          return answer(21705);
        }
        if (!e164.test(params.To ?? '')) {
          return answer(21211, 400, `Invalid 'To' Phone Number: ${params.To ?? ''}`);
        }
        if (!params.Body) {
          return answer(21602);
        }
        const sid = `SM${randomUUID().replaceAll('-', '')}`;
        messages.push({
          sid,
          accountSid: credentials[0],
          to: params.To ?? '',
          body: params.Body,
          messagingServiceSid: service,
          riskCheck: params.RiskCheck,
          params,
        });
        // Twilio's Body is free text: no template name travels with it.
        inbox.push({
          provider: 'twilio',
          to: params.To ?? '',
          text: params.Body,
          template: params.ContentSid ?? 'Body',
          receivedAt: new Date(),
        });
        return {
          status: 201,
          body: {
            sid,
            account_sid: credentials[0],
            messaging_service_sid: service,
            to: params.To,
            from: null,
            body: params.Body,
            status: 'accepted',
            error_code: null,
            error_message: null,
            uri: `/2010-04-01/Accounts/${credentials[0]}/Messages/${sid}.json`,
          },
          headers: {} as Record<string, string>,
        };
      })();
      const code = (result.body as { code?: number }).code;
      requests.push({ path: pathname, authorization, params, status: result.status, code });
      return result;
    },
  };
  return backend;
};

/** msw handlers for Twilio's real API URL, answering from `backend`. */
export const twilioHandlers = (backend: TwilioBackend) => [
  http.all(`https://${twilioApiHost}/*`, async ({ request }) => {
    const result = backend.handle({
      method: request.method,
      url: request.url,
      authorization: request.headers.get('authorization') ?? undefined,
      body: await request.text(),
    });
    return HttpResponse.json(result.body as Record<string, unknown>, {
      status: result.status,
      headers: result.headers,
    });
  }),
];

export type TwilioEmulator = {
  /** `http://127.0.0.1:<port>`: the connector's `endpoint`. */
  url: string;
  backend: TwilioBackend;
  inbox: SmsInboxMessage[];
  /** A ready config for `@idplug/connector-twilio-sms` pointing here. */
  connectorConfig: Record<string, unknown>;
  stop(): Promise<void>;
};

/** Serves the emulator on 127.0.0.1 and a free port (playground, real-socket tests). */
export const startTwilioEmulator = async (
  options: TwilioEmulatorOptions = {
    accounts: { AC00000000000000000000000000000000: 'emulator-auth-token' },
  },
): Promise<TwilioEmulator> => {
  const backend = createTwilioBackend(options);
  const server = createServer(async (request, response) => {
    const result = backend.handle({
      method: request.method ?? 'GET',
      url: `http://127.0.0.1${request.url ?? '/'}`,
      authorization: request.headers.authorization,
      body: await readBody(request),
    });
    response.writeHead(result.status, { 'content-type': 'application/json', ...result.headers });
    response.end(JSON.stringify(result.body));
  });
  const { port } = await listenOnLoopback(server, 0);
  const url = `http://127.0.0.1:${port}`;
  const [accountSID, authToken] = Object.entries(options.accounts)[0] ?? ['', ''];
  return {
    url,
    backend,
    inbox: backend.inbox,
    connectorConfig: {
      accountSID,
      authToken,
      fromMessagingServiceSID: options.messagingServices?.[0] ?? `MG${'0'.repeat(32)}`,
      endpoint: url,
      templates: [{ usageType: 'Generic', content: 'Your verification code is {{code}}.' }],
    },
    stop: () => stopServer(server),
  };
};
