import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import ky from 'ky';
import { connectorError } from './errors';
import { formParametersOf, readBodyText } from './http-body';
import {
  type HttpExchangeRecord,
  isHttpExchangeObserved,
  publishHttpExchange,
} from './http-diagnostics';
import { classifyAnswer, RetriableFailure } from './http-response';
import { createNodeFetch, TransportFailure } from './http-transport';
import {
  defaultMaxBodyBytes,
  defaultTimeoutMs,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  type RequestPurpose,
} from './http-types';
import { certificatesOf, type ProxyRoute, proxyCredentialsOf, proxyRouteFor } from './network';
import { isSecretKey, SecretRedactor } from './secrets';

export { type ParsedBody, parseBody, readBodyText } from './http-body';
export { type HttpExchangeMessage, httpExchangeChannelName } from './http-diagnostics';
export {
  type AnswerContext,
  classifyAnswer,
  excerptOf,
  parseRetryAfter,
  RetriableFailure,
  retriableStatuses,
} from './http-response';
export * from './http-types';

/**
 * The one HTTP client of the repository (ky, connector-kit's own peer). Every request has a
 * deadline covering connect, headers AND body; idempotent reads are retried within that deadline;
 * redirects are followed only where no credential can travel; every credential a request carries
 * is registered with the redactor before it is sent. This file is the request loop; reading
 * bodies is http-body.ts, deciding what an answer means is http-response.ts.
 */

/** Never wait longer than this for one Retry-After, whatever the provider asks. */
const maxRetryDelayMs = 3000;
/** Same-origin redirects a discovery or JWKS read may follow. */
const maxRedirects = 5;

/**
 * Which redirects a request follows. Requests to the authorization server's token endpoint (code
 * exchange, refresh, revocation) carry the client's credentials and the code: RFC 6749 §2.3 sends
 * them to the token endpoint only, so a redirect is never followed (fetch would re-send a 307/308
 * POST body to wherever `Location` points). Userinfo and API reads carry a bearer token, and a
 * message send carries the sender's credentials: not followed either. Discovery documents and
 * JWKS are public and carry nothing: they may follow a redirect within the same origin (a moved
 * path), never to another origin, whose answer would then be trusted as the provider's.
 */
export const redirectPolicyOf = (purpose: RequestPurpose): 'none' | 'same-origin' =>
  purpose === 'discovery' || purpose === 'jwks' ? 'same-origin' : 'none';

const endpointNames: Readonly<Record<RequestPurpose, string>> = {
  token: 'token endpoint',
  userinfo: 'user info endpoint',
  discovery: 'discovery document',
  jwks: 'key set (JWKS) URI',
  api: 'API endpoint',
  send: 'sending endpoint',
};

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** The URL for a message: origin and path, never credentials or a query. */
const addressOf = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return hostOf(url);
  }
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

/** Headers whose values are credentials whatever their name's case. */
const credentialHeaderPattern =
  /^(authorization|proxy-authorization|x-api-key|api-key|x-auth-token|cookie)$/i;

/**
 * Registers every credential a request carries before it is sent: `Authorization` values (and
 * what a Basic value decodes to), credential headers, secret form fields (`client_secret`,
 * `client_assertion`, `code`, `code_verifier`, `refresh_token`...), URL credentials (a proxy's
 * `user:pass@`), and what the caller lists in `credentials`.
 */
const registerCredentials = (
  redactor: SecretRedactor,
  request: HttpRequest,
  headers: Record<string, string>,
) => {
  redactor.addUrlCredentials(request.url);
  for (const [name, value] of Object.entries(headers)) {
    if (/authorization$/i.test(name)) {
      redactor.addAuthorization(value);
    } else if (credentialHeaderPattern.test(name) || isSecretKey(name.replace(/-/g, '_'))) {
      redactor.add(value);
    }
  }
  for (const [name, value] of Object.entries(request.form ?? {})) {
    if (
      isSecretKey(name) ||
      /^(code|code_verifier|client_assertion|assertion|device_code)$/.test(name)
    ) {
      redactor.add(value);
    }
  }
  for (const credential of request.credentials ?? []) {
    redactor.add(credential);
  }
};

export const createHttpClient = (options: HttpClientOptions = {}): HttpClient => {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const retries = options.retries ?? 2;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const redactor = options.redactor ?? new SecretRedactor([], { provider: options.providerName });
  const { network } = options;
  // Proxy credentials (configured or from the environment) are secrets like the client's own.
  for (const credential of proxyCredentialsOf(network)) {
    redactor.add(credential);
  }
  const ca = network?.ca ? certificatesOf(network.ca) : undefined;
  const proxyFor = (url: URL) => proxyRouteFor(url, network);
  /** Node 20's fetch ignores proxies and takes no CA: base's transport serves both (http-transport.ts). */
  const nodeFetch = createNodeFetch(proxyFor, ca);
  /** The proxy a request goes through (undefined: none, or an invalid URL that ky will report). */
  const proxyOf = (url: string): ProxyRoute | undefined => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    return proxyFor(parsed);
  };

  /** One fetch of `url`, redirects refused or followed per the purpose's policy. */
  const fetchFollowingPolicy = async (
    request: HttpRequest,
    init: { method: string; headers: Record<string, string>; body?: URLSearchParams },
    signal: AbortSignal,
    provider: string,
  ): Promise<Response> => {
    let url = request.url;
    for (let hops = 0; ; hops++) {
      const response = await ky(url, {
        method: init.method,
        headers: init.headers,
        ...(init.body && { body: init.body }),
        ...(request.json !== undefined && { json: request.json }),
        signal,
        timeout: false,
        retry: 0,
        throwHttpErrors: false,
        redirect: 'manual',
        ...(options.fetch
          ? { fetch: options.fetch }
          : (ca || proxyOf(url)) && { fetch: nodeFetch }),
      });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || location === null) {
        return response;
      }
      void response.body?.cancel().catch(() => undefined);
      let target: URL | undefined;
      try {
        target = new URL(location, url);
      } catch {
        target = undefined;
      }
      const sameOrigin = target?.origin === new URL(url).origin;
      const endpoint = `The ${endpointNames[request.purpose]} ${addressOf(request.url)}`;
      const details = { provider, status: response.status, stage: request.purpose };
      if (redirectPolicyOf(request.purpose) === 'none' || !target || !sameOrigin) {
        throw connectorError(
          ConnectorErrorCodes.InvalidResponse,
          `${endpoint} redirected (HTTP ${response.status}) to ${target ? (sameOrigin ? target.pathname : target.origin) : 'an invalid address'}; ${
            redirectPolicyOf(request.purpose) === 'none'
              ? 'requests that carry credentials or tokens never follow a redirect'
              : 'only redirects within the same origin are followed'
          }, so nothing was sent there`,
          {
            ...details,
            hint: 'If the provider moved this endpoint, configure its new address; otherwise the provider (or something in front of it) is misbehaving',
          },
        );
      }
      if (hops >= maxRedirects) {
        throw connectorError(
          ConnectorErrorCodes.InvalidResponse,
          `${endpoint} redirected more than ${maxRedirects} times`,
          details,
        );
      }
      url = target.href;
    }
  };

  /**
   * One attempt, published on the `idplug:http` channel when anyone listens (http-diagnostics.ts):
   * after it, so the message is redacted with every credential the request registered.
   */
  const attempt = async (
    request: HttpRequest,
    signal: AbortSignal,
    attemptNumber: number,
  ): Promise<HttpResponse> => {
    const method = request.method ?? (request.form || request.json !== undefined ? 'POST' : 'GET');
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    registerCredentials(redactor, request, headers);
    if (!isHttpExchangeObserved()) {
      return sendAndRead(request, signal, method, headers);
    }
    const record: HttpExchangeRecord = {
      provider: options.providerName ?? hostOf(request.url),
      method,
      request,
      headers,
      attempt: attemptNumber + 1,
      startedAt: Date.now(),
      startedAtMonotonic: performance.now(),
    };
    try {
      return await sendAndRead(request, signal, method, headers, record);
    } catch (error: unknown) {
      record.error = error instanceof RetriableFailure ? error.failure : error;
      throw error;
    } finally {
      publishHttpExchange(record, redactor);
    }
  };

  const sendAndRead = async (
    request: HttpRequest,
    signal: AbortSignal,
    method: string,
    headers: Record<string, string>,
    /** Filled with the answer when the exchange is observed. */
    record?: HttpExchangeRecord,
  ): Promise<HttpResponse> => {
    const host = hostOf(request.url);
    const provider = options.providerName ?? host;
    const canRetry = method === 'GET' && request.purpose !== 'token' && request.purpose !== 'send';
    const form = request.form ? formParametersOf(request.form) : undefined;

    let response: Response;
    try {
      response = await fetchFollowingPolicy(
        request,
        { method, headers, ...(form && { body: form }) },
        signal,
        provider,
      );
    } catch (error: unknown) {
      if (isAbortError(error) || error instanceof ConnectorError) {
        throw error;
      }
      if (error instanceof TransportFailure) {
        // The proxy or the TLS trust, not the provider: another attempt would meet the same.
        throw connectorError(
          error.code,
          `Could not reach ${host}: ${error.description}`,
          { provider, stage: request.purpose },
          redactor.redactCause(error.cause ?? error),
        );
      }
      const failure = connectorError(
        ConnectorErrorCodes.General,
        `Could not reach ${host}: ${describeNetworkError(error)}`,
        { provider, stage: request.purpose },
        redactor.redactCause(error),
      );
      throw canRetry ? new RetriableFailure(failure, 0) : failure;
    }

    let text: string;
    try {
      text = await readBodyText(response, maxBodyBytes, { host, provider }, signal);
    } catch (error: unknown) {
      if (error instanceof ConnectorError || isAbortError(error)) {
        throw error;
      }
      // The connection broke while the body was arriving (reset, truncated).
      const failure = connectorError(
        ConnectorErrorCodes.General,
        `The connection to ${host} broke while its answer was arriving: ${describeNetworkError(error)}`,
        { provider, status: response.status, stage: request.purpose },
        redactor.redactCause(error),
      );
      throw canRetry ? new RetriableFailure(failure, 0) : failure;
    }
    if (record) {
      record.response = { status: response.status, headers: response.headers, text };
    }
    return classifyAnswer({ request, response, text, host, provider, canRetry, redactor });
  };

  /** The retry loop: idempotent reads again on 429/5xx/network failure, within one deadline. */
  const request = async <Body>(httpRequest: HttpRequest): Promise<HttpResponse<Body>> => {
    const controller = new AbortController();
    const deadline = Date.now() + timeoutMs;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const host = hostOf(httpRequest.url);
    try {
      for (let attemptNumber = 0; ; attemptNumber++) {
        try {
          return (await attempt(
            httpRequest,
            controller.signal,
            attemptNumber,
          )) as HttpResponse<Body>;
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
        const proxy = options.fetch ? undefined : proxyOf(httpRequest.url);
        throw connectorError(
          ConnectorErrorCodes.General,
          `${host} did not answer within ${timeoutMs} ms${proxy ? ` (through the proxy ${proxy.address}, from ${proxy.source})` : ''}`,
          { provider: options.providerName ?? host, stage: httpRequest.purpose },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  return { timeoutMs, request, redactor, ...(network && { network }) };
};
