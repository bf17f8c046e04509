import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback, readBody, safeEqual, sendJson, stopServer } from './emulator-http';
import type { SmsInboxMessage } from './sms-inbox';

/**
 * A plain HTTP receiver for the HTTP SMS connector (and anything else that POSTs JSON): it checks
 * the `Authorization` header and the optional `x-idplug-signature` the way an operator's endpoint
 * would (the README's snippet, written again here, independently of the connector's signer),
 * keeps every raw body, and files each accepted message in an SMS inbox.
 */

export type HttpReceiverOptions = {
  /** The `Authorization` value to require; any when unset. */
  authorization?: string;
  /** Require a valid HMAC signature with this key. */
  signingSecret?: string;
  /** How old a signed call may be. @default 300 */
  toleranceSeconds?: number;
};

/** One request as received: for byte-for-byte comparisons. */
export type ReceivedHttpRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  status: number;
};

/** An answer a test wants the next request(s) to get instead of 200. */
export type ForcedHttpAnswer = { status: number; body?: string; headers?: Record<string, string> };

export type HttpReceiver = {
  /** `http://127.0.0.1:<port>/sms`: the connector's `endpoint`. */
  url: string;
  requests: ReceivedHttpRequest[];
  messages: SmsInboxMessage[];
  /** A config for `@idplug/connector-http-sms` pointing here. */
  connectorConfig: { endpoint: string; authorization?: string; signingSecret?: string };
  forceAnswer(answer: ForcedHttpAnswer, times?: number): void;
  reset(): void;
  stop(): Promise<void>;
};

const signatureMatches = (
  secret: string,
  body: string,
  header: string | undefined,
  toleranceSeconds: number,
): boolean => {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) {
    return false;
  }
  const age = Math.abs(Date.now() / 1000 - Number(match[1]));
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest('hex');
  return age <= toleranceSeconds && safeEqual(expected, match[2]);
};

/** What the receiver's gateway would text: the code, or the payload as it came. */
const textOf = (payload: unknown): string => {
  const code = (payload as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' || typeof code === 'number'
    ? `Your verification code is ${code}`
    : JSON.stringify(payload ?? null);
};

export const startHttpReceiver = async (
  options: HttpReceiverOptions = {},
): Promise<HttpReceiver> => {
  const requests: ReceivedHttpRequest[] = [];
  const messages: SmsInboxMessage[] = [];
  const forced: ForcedHttpAnswer[] = [];

  const server = createServer(async (request, response) => {
    const text = await readBody(request);
    const record = (status: number) =>
      requests.push({
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        rawBody: Buffer.from(text, 'utf8'),
        status,
      });
    const refuse = (status: number, error: string) => {
      record(status);
      sendJson(response, status, { error });
    };
    if (request.method !== 'POST') {
      return refuse(405, 'POST only');
    }
    if (
      options.authorization &&
      !safeEqual(request.headers.authorization ?? '', options.authorization)
    ) {
      return refuse(401, 'wrong authorization');
    }
    const signature = request.headers['x-idplug-signature'];
    if (
      options.signingSecret &&
      !signatureMatches(
        options.signingSecret,
        text,
        Array.isArray(signature) ? signature[0] : signature,
        options.toleranceSeconds ?? 300,
      )
    ) {
      return refuse(401, 'bad signature');
    }
    const answer = forced.shift();
    if (answer) {
      record(answer.status);
      response.writeHead(answer.status, answer.headers ?? {});
      response.end(answer.body ?? '');
      return;
    }
    let body: { to?: unknown; type?: unknown; payload?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return refuse(400, 'not JSON');
    }
    if (typeof body.to !== 'string' || typeof body.type !== 'string') {
      return refuse(400, 'to and type are required');
    }
    record(200);
    messages.push({
      provider: 'http-sms',
      to: body.to,
      text: textOf(body.payload),
      template: body.type,
      receivedAt: new Date(),
    });
    sendJson(response, 200, { ok: true });
  });

  const { port } = await listenOnLoopback(server, 0);
  const url = `http://127.0.0.1:${port}/sms`;
  return {
    url,
    requests,
    messages,
    connectorConfig: {
      endpoint: url,
      ...(options.authorization && { authorization: options.authorization }),
      ...(options.signingSecret && { signingSecret: options.signingSecret }),
    },
    forceAnswer(answer, times = 1) {
      for (let index = 0; index < times; index += 1) {
        forced.push(answer);
      }
    },
    reset() {
      requests.length = 0;
      messages.length = 0;
      forced.length = 0;
    },
    stop: () => stopServer(server),
  };
};
