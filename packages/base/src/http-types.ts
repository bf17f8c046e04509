import type { ConnectorError } from '@logto/connector-kit';
import type { NetworkOptions } from './network';
import type { SecretRedactor } from './secrets';

/**
 * The shapes of base's HTTP client: what a request says, what comes back, how a client is set up.
 * The client itself is `createHttpClient` (http.ts); reading bodies is http-body.ts, deciding what
 * an answer means is http-response.ts.
 */

/** Logto's console gives up on a request after about 20 s; a provider call must end well before. */
export const defaultTimeoutMs = 10_000;
/** A provider answer larger than this is refused rather than buffered (a hostile 10 MB body). */
export const defaultMaxBodyBytes = 1024 * 1024;

/** What the request is for: decides retries, redirects and how some statuses are reported. */
export type RequestPurpose =
  | 'token' // code exchange, refresh, revocation: never retried (a code is single-use)
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
   * Credentials the request carries that the client cannot recognise by name (a signature
   * secret inside a JSON body, say): registered with the redactor like the ones it recognises.
   */
  credentials?: readonly string[];
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
  /**
   * The connector's redactor: every credential a request carries is registered with it when the
   * request is built, so nothing thrown later (by the client or by the connector) repeats one.
   * @default a redactor of the client's own
   */
  redactor?: SecretRedactor;
  /**
   * The connector's `network` group: a proxy and extra trusted roots. Without a configured proxy,
   * `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` from the environment apply.
   */
  network?: NetworkOptions;
  /** For tests and the playground: an alternative fetch (then `network` is not used). */
  fetch?: typeof fetch;
};

export type HttpClient = {
  readonly timeoutMs: number;
  /** Knows every credential the client's requests carried: redact with it before cutting a text. */
  readonly redactor?: SecretRedactor;
  /** The `network` group the client was made with: for a client made beside it (a JWKS fetch). */
  readonly network?: NetworkOptions;
  request<Body = unknown>(request: HttpRequest): Promise<HttpResponse<Body>>;
};
