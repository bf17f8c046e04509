import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import ky from 'ky';
import { connectorError, oauthError, readOAuthError } from './errors';

/**
 * The one HTTP client of the repository (ky, connector-kit's own peer). Every request has a
 * deadline covering connect, headers AND body; idempotent reads are retried within that deadline;
 * every failure is read, parsed and mapped to a `ConnectorError` here.
 */

/** Logto's console gives up on a request after about 20 s; a provider call must end well before. */
export const defaultTimeoutMs = 10_000;
/** A provider answer larger than this is refused rather than buffered (a hostile 10 MB body). */
export const defaultMaxBodyBytes = 1024 * 1024;
const excerptLength = 200;

/** What the request is for: decides retries and how some statuses are reported. */
export type RequestPurpose =
  | 'token' // code exchange, refresh: never retried (a code is single-use)
  | 'userinfo' // 401 means the access token is no longer valid
  | 'discovery'
  | 'jwks'
  | 'api' // any other provider API read
  | 'send'; // sending a message: never retried (it could send twice)

export type HttpRequest = {
  method?: 'GET' | 'POST';
  url: string;
  purpose: RequestPurpose;
  headers?: Record<string, string>;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  /** How to read the body: by Content-Type (`auto`, the default), or forced. */
  responseType?: 'auto' | 'json' | 'form' | 'text';
  /**
   * A provider's own error format (Aliyun's `{ Code, Message }`, ...): called with every parsed
   * body, success statuses included, before the OAuth/status mapping. Return the error to throw,
   * or `undefined` to let the default mapping decide.
   */
  readProviderError?: (
    body: unknown,
    response: { status: number; headers: Headers },
  ) => ConnectorError | undefined;
};

export type HttpResponse<Body = unknown> = {
  status: number;
  headers: Headers;
  body: Body;
  text: string;
};

export type HttpClientOptions = {
  /** Deadline for one call, retries included. @default 10000 */
  timeoutMs?: number;
  /** Extra attempts for GETs on 429/5xx or network failure, within the deadline. @default 2 */
  retries?: number;
  /** @default 1 MiB */
  maxBodyBytes?: number;
  /** A display name for messages ("GitHub"); the host is used when absent. */
  providerName?: string;
  /** For tests and the playground: an alternative fetch. */
  fetch?: typeof fetch;
};

export type HttpClient = {
  readonly timeoutMs: number;
  request<Body = unknown>(request: HttpRequest): Promise<HttpResponse<Body>>;
};

const retriableStatuses = new Set([408, 429, 500, 502, 503, 504]);
/** Never wait longer than this for one Retry-After, whatever the provider asks. */
const maxRetryDelayMs = 3000;

class RetriableFailure extends Error {
  constructor(
    readonly failure: unknown,
    readonly retryAfterMs: number,
  ) {
    super('retriable');
  }
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Parses `Retry-After` (RFC 9110 §10.2.3): seconds or an HTTP date. */
export const parseRetryAfter = (value: string | null): number | undefined => {
  if (!value) {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
};

/** A short, single-line, secret-free-by-shape excerpt of a body for error messages. */
export const excerptOf = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > excerptLength ? `${flat.slice(0, excerptLength)}…` : flat;
};

/** Reads at most `limit` bytes of a body; throws when it is larger. */
const readBodyText = async (
  response: Response,
  limit: number,
  host: string,
  signal: AbortSignal,
): Promise<string> => {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    // Not awaited: a hostile server may never let the cancel finish.
    void response.body?.cancel().catch(() => undefined);
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `${host} sent a ${declared}-byte response, more than the ${limit} bytes accepted`,
    );
  }
  if (!response.body) {
    return '';
  }
  const reader = response.body.getReader();
  // The deadline ends the read itself, not only the fetch: a trickling body must not outlive it
  // even where the runtime is slow to error the stream on abort.
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => {
      void reader.cancel().catch(() => undefined);
      reject(new DOMException('The deadline passed while the body was arriving', 'AbortError'));
    };
    if (signal.aborted) {
      onAbort();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  aborted.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await Promise.race([reader.read(), aborted]);
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > limit) {
      void reader.cancel().catch(() => undefined);
      throw connectorError(
        ConnectorErrorCodes.InvalidResponse,
        `${host} sent a response larger than the ${limit} bytes accepted`,
      );
    }
    chunks.push(value);
  }
  // Cancelling the reader at the deadline can settle the pending read as `done` before the abort
  // rejection wins the race: a cut-off body is never a complete answer.
  if (signal.aborted) {
    throw new DOMException('The deadline passed while the body was arriving', 'AbortError');
  }
  return Buffer.concat(chunks).toString('utf8');
};

const formToObject = (text: string): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(text.trim()));

type ParsedBody = { ok: true; value: unknown } | { ok: false };

/** Parses a body as JSON or form by Content-Type (RFC 6749 §5.1 says JSON; GitHub and others send forms). */
export const parseBody = (
  text: string,
  contentType: string | null,
  responseType: HttpRequest['responseType'] = 'auto',
): ParsedBody => {
  const type = (contentType ?? '').toLowerCase();
  const tryJson = (): ParsedBody => {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false };
    }
  };
  if (responseType === 'text') {
    return { ok: true, value: text };
  }
  if (responseType === 'json') {
    return tryJson();
  }
  if (responseType === 'form') {
    return { ok: true, value: formToObject(text) };
  }
  if (type.includes('json')) {
    return tryJson();
  }
  if (type.includes('application/x-www-form-urlencoded')) {
    return { ok: true, value: formToObject(text) };
  }
  // No or a wrong Content-Type: JSON if it is JSON, a form if it looks like one.
  const json = tryJson();
  if (json.ok) {
    return json;
  }
  if (/^[\w.~%+-]+=[^<>]*$/.test(text.trim())) {
    return { ok: true, value: formToObject(text) };
  }
  return { ok: false };
};

const isAbortError = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');

const describeNetworkError = (error: unknown): string => {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const createHttpClient = (options: HttpClientOptions = {}): HttpClient => {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const retries = options.retries ?? 2;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;

  const attempt = async (request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> => {
    const method = request.method ?? (request.form || request.json !== undefined ? 'POST' : 'GET');
    const host = hostOf(request.url);
    const provider = options.providerName ?? host;
    const canRetry = method === 'GET' && request.purpose !== 'token' && request.purpose !== 'send';
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    const form = request.form
      ? new URLSearchParams(
          Object.entries(request.form).filter(
            (entry): entry is [string, string] => entry[1] !== undefined,
          ),
        )
      : undefined;

    let response: Response;
    try {
      response = await ky(request.url, {
        method,
        headers,
        ...(form && { body: form }),
        ...(request.json !== undefined && { json: request.json }),
        signal,
        timeout: false,
        retry: 0,
        throwHttpErrors: false,
        ...(options.fetch && { fetch: options.fetch }),
      });
    } catch (error: unknown) {
      if (isAbortError(error)) {
        throw error;
      }
      const failure = connectorError(
        ConnectorErrorCodes.General,
        `Could not reach ${host}: ${describeNetworkError(error)}`,
        { host },
      );
      throw canRetry ? new RetriableFailure(failure, 0) : failure;
    }

    let text: string;
    try {
      text = await readBodyText(response, maxBodyBytes, host, signal);
    } catch (error: unknown) {
      if (error instanceof ConnectorError || isAbortError(error)) {
        throw error;
      }
      // The connection broke while the body was arriving (reset, truncated).
      const failure = connectorError(
        ConnectorErrorCodes.General,
        `The connection to ${host} broke while its answer was arriving: ${describeNetworkError(error)}`,
        { host, status: response.status },
      );
      throw canRetry ? new RetriableFailure(failure, 0) : failure;
    }
    const parsed = parseBody(text, response.headers.get('content-type'), request.responseType);
    const providerErrorFields = parsed.ok ? readOAuthError(parsed.value) : undefined;

    const ownError = parsed.ok ? request.readProviderError?.(parsed.value, response) : undefined;
    if (ownError) {
      throw canRetry && retriableStatuses.has(response.status)
        ? new RetriableFailure(
            ownError,
            (parseRetryAfter(response.headers.get('retry-after')) ?? 0) * 1000,
          )
        : ownError;
    }

    if (response.status === 429) {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      const failure = connectorError(
        ConnectorErrorCodes.RateLimitExceeded,
        `${provider} is rate limiting requests${retryAfter === undefined ? '' : `; retry after ${retryAfter} s`}`,
        { host, status: 429, ...(retryAfter !== undefined && { retryAfter }) },
      );
      throw canRetry ? new RetriableFailure(failure, (retryAfter ?? 1) * 1000) : failure;
    }

    if (!response.ok) {
      if (response.status === 401 && request.purpose === 'userinfo') {
        throw connectorError(
          ConnectorErrorCodes.SocialAccessTokenInvalid,
          `${provider} refused the access token (401); sign in again`,
          { host, status: 401 },
        );
      }
      if (providerErrorFields) {
        throw oauthError(providerErrorFields, provider);
      }
      const failure = connectorError(
        ConnectorErrorCodes.General,
        `${provider} answered HTTP ${response.status}${text ? `: ${excerptOf(text)}` : ''}`,
        { host, status: response.status },
      );
      if (canRetry && retriableStatuses.has(response.status)) {
        throw new RetriableFailure(
          failure,
          (parseRetryAfter(response.headers.get('retry-after')) ?? 0) * 1000,
        );
      }
      throw failure;
    }

    // GitHub answers a bad code with `200 {"error":"bad_verification_code"}`.
    if (providerErrorFields) {
      throw oauthError(providerErrorFields, provider);
    }
    if (!parsed.ok) {
      throw connectorError(
        ConnectorErrorCodes.InvalidResponse,
        `${provider} sent a response that is not valid ${request.responseType === 'form' ? 'form data' : 'JSON'}: ${excerptOf(text) || '(empty body)'}`,
        { host, status: response.status },
      );
    }
    return { status: response.status, headers: response.headers, body: parsed.value, text };
  };

  const request = async <Body>(httpRequest: HttpRequest): Promise<HttpResponse<Body>> => {
    const controller = new AbortController();
    const deadline = Date.now() + timeoutMs;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const host = hostOf(httpRequest.url);
    try {
      for (let attemptNumber = 0; ; attemptNumber++) {
        try {
          return (await attempt(httpRequest, controller.signal)) as HttpResponse<Body>;
        } catch (error: unknown) {
          if (!(error instanceof RetriableFailure)) {
            throw error;
          }
          const delay = error.retryAfterMs || 100 * 2 ** attemptNumber;
          // Retry only when the provider asks for a short wait and another attempt can still
          // finish before the deadline; otherwise report the failure now.
          if (
            attemptNumber >= retries ||
            delay > maxRetryDelayMs ||
            Date.now() + delay >= deadline - 100
          ) {
            throw error.failure;
          }
          await sleep(delay);
        }
      }
    } catch (error: unknown) {
      if (controller.signal.aborted || isAbortError(error)) {
        throw connectorError(
          ConnectorErrorCodes.General,
          `${host} did not answer within ${timeoutMs} ms`,
          { host, timeoutMs },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  return { timeoutMs, request };
};
