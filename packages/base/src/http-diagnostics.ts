import { channel } from 'node:diagnostics_channel';
import { formParametersOf } from './http-body';
import type { HttpRequest, RequestPurpose } from './http-types';
import type { SecretRedactor } from './secrets';

/**
 * Every exchange base's HTTP client finishes is published on the `idplug:http` diagnostics
 * channel (https://nodejs.org/api/diagnostics_channel.html), redacted: a tracing hook for
 * operators and the playground's request timeline, with no API of the connector changed.
 *
 * Why a diagnostics channel rather than an option (an `onExchange` callback) of the client:
 * - zero cost when nobody listens: `hasSubscribers` is checked before a message is built, so
 *   Logto in production pays one property read per request;
 * - channels are process-wide by name, so a subscriber sees every copy of base at once (each
 *   connector package may bundle or resolve its own), with no connector wiring anything through;
 * - subscribers run synchronously in the publisher's async context, so a subscriber can tell
 *   which of its runs made the call (an `AsyncLocalStorage` store), as the playground does.
 *
 * What is published is redacted with the connector's redactor (every credential the request
 * carried, the configured secrets, tokens in JSON and form bodies) and credential headers are
 * replaced whole. A subscriber that shows the message to people should still mask what it knows
 * to be secret itself: base redacts what it can recognise, not what a provider invents.
 */

/** The name of the channel: `diagnostics_channel.subscribe(httpExchangeChannelName, listener)`. */
export const httpExchangeChannelName = 'idplug:http';

/** One request and its answer (or its failure), as published on `idplug:http`. */
export type HttpExchangeMessage = {
  /** The display name the client was made with, or the host. */
  provider: string;
  purpose: RequestPurpose;
  method: string;
  /** The requested URL, redacted (a credential in its query or userinfo is replaced). */
  url: string;
  /** 1 for the first attempt; a retried read publishes one message per attempt. */
  attempt: number;
  /** When the attempt started (milliseconds since the epoch). */
  startedAt: number;
  /** From sending the request to the end of its body (or the failure). */
  durationMs: number;
  request: {
    headers: Record<string, string>;
    /** The form or JSON body as sent, redacted; absent for a request without a body. */
    body?: string;
  };
  /** Absent when no answer arrived (a network failure, the deadline). */
  response?: {
    status: number;
    headers: Record<string, string>;
    /** The body as read (within the client's body cap), redacted. */
    body: string;
  };
  /** Why the exchange failed before an answer was read: a redacted message. */
  error?: string;
};

const exchanges = channel(httpExchangeChannelName);

/** Whether anyone listens: the client builds no message (and times nothing extra) otherwise. */
export const isHttpExchangeObserved = (): boolean => exchanges.hasSubscribers;

/** Header values that are credentials whatever they hold: never published, even redacted. */
const credentialHeaderPattern =
  /^(authorization|proxy-authorization|x-api-key|api-key|x-auth-token|cookie|set-cookie)$/i;

const redactHeaders = (
  headers: Iterable<[string, string]>,
  redactor: SecretRedactor,
): Record<string, string> =>
  Object.fromEntries(
    [...headers].map(([name, value]) => [
      name.toLowerCase(),
      credentialHeaderPattern.test(name)
        ? `${/^(authorization|proxy-authorization)$/i.test(name) ? `${value.split(/\s+/)[0]} ` : ''}[redacted]`
        : redactor.redactText(value),
    ]),
  );

const requestBodyOf = (request: HttpRequest): string | undefined => {
  if (request.form) {
    return formParametersOf(request.form).toString();
  }
  return request.json === undefined ? undefined : JSON.stringify(request.json);
};

export type HttpExchangeRecord = {
  provider: string;
  method: string;
  request: HttpRequest;
  headers: Record<string, string>;
  attempt: number;
  startedAt: number;
  /** `performance.now()` when the attempt started. */
  startedAtMonotonic: number;
  response?: { status: number; headers: Headers; text: string };
  error?: unknown;
};

/** Builds the redacted message of one finished attempt and publishes it (when anyone listens). */
export const publishHttpExchange = (record: HttpExchangeRecord, redactor: SecretRedactor) => {
  if (!exchanges.hasSubscribers) {
    return;
  }
  try {
    exchanges.publish(exchangeMessageOf(record, redactor));
  } catch {
    // A trace never changes the call's outcome: a message that cannot be built (a JSON body with
    // a BigInt) is lost, not the connector's answer. (A subscriber that throws is Node's to report:
    // diagnostics_channel rethrows its error on the next tick, outside this call.)
  }
};

const exchangeMessageOf = (
  record: HttpExchangeRecord,
  redactor: SecretRedactor,
): HttpExchangeMessage => {
  const body = requestBodyOf(record.request);
  const { response, error } = record;
  const message: HttpExchangeMessage = {
    provider: record.provider,
    purpose: record.request.purpose,
    method: record.method,
    url: redactor.redactText(record.request.url),
    attempt: record.attempt,
    startedAt: record.startedAt,
    durationMs: Math.round((performance.now() - record.startedAtMonotonic) * 10) / 10,
    request: {
      headers: redactHeaders(Object.entries(record.headers), redactor),
      ...(body !== undefined && { body: redactor.redactText(body) }),
    },
    ...(response && {
      response: {
        status: response.status,
        headers: redactHeaders(response.headers.entries(), redactor),
        body: redactor.redactText(response.text),
      },
    }),
    ...(error !== undefined &&
      response === undefined && {
        error: redactor.redactText(error instanceof Error ? error.message : String(error)),
      }),
  };
  return message;
};
