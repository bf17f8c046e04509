import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError, oauthError, readOAuthError } from './errors';
import { parseBody } from './http-body';
import type { HttpRequest, HttpResponse } from './http-types';
import type { SecretRedactor } from './secrets';

/**
 * What an answer means: a usable body, or the one `ConnectorError` the error table gives it
 * (429 is `rate_limit_exceeded`, an OAuth error body maps by its `error`, a 401 on userinfo is
 * `social_invalid_access_token`, a body that is not JSON is `invalid_response`...). Failures a GET
 * may retry are wrapped in `RetriableFailure` for the client's retry loop.
 */

const excerptLength = 200;

export const retriableStatuses: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** A failure the retry loop may try again, after `retryAfterMs` when the provider asked. */
export class RetriableFailure extends Error {
  constructor(
    readonly failure: ConnectorError,
    readonly retryAfterMs: number,
  ) {
    super('retriable');
  }
}

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

/**
 * A short, single-line excerpt of a body for error messages. With a redactor the WHOLE text is
 * redacted first and only then cut, so no secret survives as a prefix at the cut.
 */
export const excerptOf = (text: string, redactor?: SecretRedactor): string => {
  const flat = (redactor ? redactor.redactText(text) : text).replace(/\s+/g, ' ').trim();
  return flat.length > excerptLength ? `${flat.slice(0, excerptLength)}…` : flat;
};

export type AnswerContext = {
  request: HttpRequest;
  response: Response;
  text: string;
  /** The host of the URL, for messages that name where the answer came from. */
  host: string;
  /** The display name (or the host): `data.provider`. */
  provider: string;
  /** Whether a failure may be retried (an idempotent read). */
  canRetry: boolean;
  redactor: SecretRedactor;
};

const retryAfterMsOf = (response: Response): number =>
  (parseRetryAfter(response.headers.get('retry-after')) ?? 0) * 1000;

/** The parsed answer, or throws its `ConnectorError` (wrapped in `RetriableFailure` if retriable). */
export const classifyAnswer = ({
  request,
  response,
  text,
  provider,
  canRetry,
  redactor,
}: AnswerContext): HttpResponse => {
  const { status } = response;
  const stage = request.purpose;
  const parsed = parseBody(text, response.headers.get('content-type'), request.responseType);
  const providerErrorFields = parsed.ok ? readOAuthError(parsed.value) : undefined;
  const retriable = (failure: ConnectorError, retryAfterMs: number) =>
    canRetry && retriableStatuses.has(status)
      ? new RetriableFailure(failure, retryAfterMs)
      : failure;

  const ownError = parsed.ok ? request.readProviderError?.(parsed.value, response) : undefined;
  if (ownError) {
    throw retriable(ownError, retryAfterMsOf(response));
  }

  if (status === 429) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const failure = connectorError(
      ConnectorErrorCodes.RateLimitExceeded,
      `${provider} is rate limiting requests${retryAfter === undefined ? '' : `; retry after ${retryAfter} s`}`,
      { provider, status, stage, retryAfter },
    );
    throw retriable(failure, (retryAfter ?? 1) * 1000);
  }

  if (!response.ok) {
    if (status === 401 && request.purpose === 'userinfo') {
      throw connectorError(
        ConnectorErrorCodes.SocialAccessTokenInvalid,
        `${provider} refused the access token (401); sign in again`,
        { provider, status, stage },
      );
    }
    if (providerErrorFields) {
      throw oauthError(providerErrorFields, provider, { status, stage });
    }
    const failure = connectorError(
      ConnectorErrorCodes.General,
      `${provider} answered HTTP ${status}${text ? `: ${excerptOf(text, redactor)}` : ''}`,
      { provider, status, stage },
    );
    throw retriable(failure, retryAfterMsOf(response));
  }

  // GitHub answers a bad code with `200 {"error":"bad_verification_code"}`.
  if (providerErrorFields) {
    throw oauthError(providerErrorFields, provider, { status, stage });
  }
  if (!parsed.ok) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `${provider} sent a response that is not valid ${request.responseType === 'form' ? 'form data' : 'JSON'}: ${excerptOf(text, redactor) || '(empty body)'}`,
      { provider, status, stage },
    );
  }
  return { status, headers: response.headers, body: parsed.value, text };
};
