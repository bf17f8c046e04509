import { createServer } from 'node:http';
import { type HttpHandler, HttpResponse, http } from 'msw';
import { listenOnLoopback, readBody, sendJson, stopServer } from './emulator-http';

/**
 * The skeleton the email API emulators (SendGrid, Postmark, Mailgun, an HTTP email receiver) share:
 * a route with its body format, an authentication check, a request-shape check that turns the body
 * into a recorded message (HTML and text parts, for the playground's inbox), and the provider's
 * success answer. Served through msw at the provider's real URLs and as a loopback HTTP server.
 * Each provider file is a declarative definition on this.
 */

/** A message as the provider would deliver it. */
export type RecordedEmail = {
  /** The emulator that received it ("SendGrid"). */
  provider: string;
  /** The provider's message id, as its answer gave it. */
  id: string;
  from?: string;
  to: string[];
  subject?: string;
  html?: string;
  text?: string;
  replyTo?: string;
  /** A provider-side template it names (Postmark alias, Mailgun template), with its variables. */
  template?: { name: string; model: unknown };
  /** The body as received (JSON value or form fields). */
  body: unknown;
  headers: Record<string, string>;
  /** When the emulator accepted it (the playground's inbox sorts by it). */
  receivedAt: Date;
};

/** An answer: status, JSON body (or text) and headers. */
export type EmailApiAnswer = {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
};

export type EmailApiRequest = {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Raw text of the body. */
  raw: string;
  /** Parsed by the route's body format: a JSON value or a record of form fields. */
  body: unknown;
};

export type EmailApiRoute = {
  /** The pathname, or a pattern for pathnames with a parameter (Mailgun's domain). */
  path: string | RegExp;
  body: 'json' | 'form';
  /** An answer refusing the credentials, or `undefined` when they are right. */
  authenticate: (request: EmailApiRequest) => EmailApiAnswer | undefined;
  /** The message the request asks for, or an answer refusing its shape. */
  accept: (
    request: EmailApiRequest,
  ) => Omit<RecordedEmail, 'provider' | 'id' | 'receivedAt'> | EmailApiAnswer;
  /** The success answer for a recorded message. */
  respond: (email: RecordedEmail) => EmailApiAnswer;
};

export type EmailApiDefinition = {
  provider: string;
  /** The provider's real origins (`https://api.sendgrid.com`), for the msw handlers. */
  origins: readonly string[];
  routes: readonly EmailApiRoute[];
};

export type EmailApiBackend = {
  readonly provider: string;
  /** Accepted messages, oldest first. */
  readonly messages: RecordedEmail[];
  /** Every request with the answer it got. */
  readonly requests: Array<{ request: EmailApiRequest; answer: EmailApiAnswer }>;
  /** Answers the next request(s) with these answers instead (authentication still comes first). */
  forceNext(...answers: EmailApiAnswer[]): void;
  handle(request: Omit<EmailApiRequest, 'body'>): EmailApiAnswer;
  reset(): void;
};

const isAnswer = (value: unknown): value is EmailApiAnswer =>
  typeof value === 'object' && value !== null && 'status' in value;

const parse = (raw: string, format: EmailApiRoute['body'], contentType: string): unknown => {
  if (format === 'form') {
    return contentType.includes('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(raw))
      : undefined;
  }
  try {
    return contentType.includes('json') ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
};

const matches = (path: EmailApiRoute['path'], pathname: string) =>
  typeof path === 'string' ? path === pathname : path.test(pathname);

export const createEmailApiBackend = (definition: EmailApiDefinition): EmailApiBackend => {
  const messages: RecordedEmail[] = [];
  const requests: EmailApiBackend['requests'] = [];
  const forced: EmailApiAnswer[] = [];
  let counter = 0;

  const answerFor = (request: Omit<EmailApiRequest, 'body'>): EmailApiAnswer => {
    const route = definition.routes.find(({ path }) => matches(path, request.url.pathname));
    if (!route) {
      return { status: 404, json: { message: `No route ${request.url.pathname}` } };
    }
    if (request.method.toUpperCase() !== 'POST') {
      return { status: 405, json: { message: 'Method Not Allowed' } };
    }
    const parsed: EmailApiRequest = {
      ...request,
      body: parse(request.raw, route.body, request.headers['content-type'] ?? ''),
    };
    const refusal = route.authenticate(parsed);
    if (refusal) {
      return refusal;
    }
    const next = forced.shift();
    if (next) {
      return next;
    }
    if (parsed.body === undefined) {
      return {
        status: 400,
        json: { message: `${definition.provider} expects a ${route.body} body` },
      };
    }
    const accepted = route.accept(parsed);
    if (isAnswer(accepted)) {
      return accepted;
    }
    counter += 1;
    const email: RecordedEmail = {
      ...accepted,
      provider: definition.provider,
      id: `${definition.provider.toLowerCase().replace(/\W+/g, '-')}-${counter}`,
      receivedAt: new Date(),
    };
    messages.push(email);
    return route.respond(email);
  };

  return {
    provider: definition.provider,
    messages,
    requests,
    forceNext: (...answers) => {
      forced.push(...answers);
    },
    handle: (request) => {
      const answer = answerFor(request);
      requests.push({
        request: { ...request, body: undefined },
        answer,
      });
      return answer;
    },
    reset: () => {
      messages.length = 0;
      requests.length = 0;
      forced.length = 0;
    },
  };
};

const headersOf = (headers: Headers): Record<string, string> =>
  Object.fromEntries([...headers].map(([name, value]) => [name.toLowerCase(), value]));

const toResponse = (answer: EmailApiAnswer) =>
  answer.json === undefined
    ? new HttpResponse(answer.text ?? null, {
        status: answer.status,
        ...(answer.headers && { headers: answer.headers }),
      })
    : HttpResponse.json(answer.json as Record<string, unknown>, {
        status: answer.status,
        ...(answer.headers && { headers: answer.headers }),
      });

/** msw handlers answering the provider's real origins through a backend. */
export const emailApiHandlers = (
  backend: EmailApiBackend,
  origins: readonly string[],
): HttpHandler[] =>
  origins.map((origin) =>
    http.all(`${origin}/*`, async ({ request }) =>
      toResponse(
        backend.handle({
          method: request.method,
          url: new URL(request.url),
          headers: headersOf(request.headers),
          raw: await request.text(),
        }),
      ),
    ),
  );

export type EmailApiEmulator = {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  backend: EmailApiBackend;
  messages: RecordedEmail[];
  stop(): Promise<void>;
};

/** Serves a backend over plain HTTP on 127.0.0.1 and a free port. */
export const startEmailApiEmulator = async (
  backend: EmailApiBackend,
): Promise<EmailApiEmulator> => {
  const server = createServer(async (request, response) => {
    const raw = await readBody(request);
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(', ') : (value ?? ''),
      ]),
    );
    const answer = backend.handle({
      method: request.method ?? 'GET',
      url: new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`),
      headers,
      raw,
    });
    if (answer.json !== undefined) {
      sendJson(response, answer.status, answer.json, answer.headers);
      return;
    }
    response.writeHead(answer.status, answer.headers ?? {});
    response.end(answer.text ?? '');
  });
  const { port } = await listenOnLoopback(server, 0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    backend,
    messages: backend.messages,
    stop: () => stopServer(server),
  };
};

/** `Authorization: Bearer <token>` checked against the known tokens. */
export const bearerTokenOf = (request: EmailApiRequest): string | undefined =>
  /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];

/** `Authorization: Basic base64(user:password)` decoded. */
export const basicCredentialsOf = (
  request: EmailApiRequest,
): { user: string; password: string } | undefined => {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!encoded) {
    return undefined;
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0
    ? undefined
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
};
