import { ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError } from './errors';
import type { HttpRequest } from './http-types';

/**
 * Reading a provider's answer: at most a byte limit, within the call's deadline (a trickling body
 * must not outlive it), then parsed as JSON or form data by Content-Type; and a request's form
 * body as sent (the client sends it, the diagnostics channel shows it).
 */

/** Reads at most `limit` bytes of a body; throws `invalid_response` when it is larger. */
export const readBodyText = async (
  response: Response,
  limit: number,
  { host, provider }: { host: string; provider: string },
  signal: AbortSignal,
): Promise<string> => {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    // Not awaited: a hostile server may never let the cancel finish.
    void response.body?.cancel().catch(() => undefined);
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `${host} sent a ${declared}-byte response, more than the ${limit} bytes accepted`,
      { provider, status: response.status },
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
        { provider, status: response.status },
      );
    }
    chunks.push(value);
  }
  // Cancelling the reader on abort ends the read as if the body were complete: it is not, and a
  // `text` answer would otherwise pass as a success.
  if (signal.aborted) {
    throw new DOMException('The deadline passed while the body was arriving', 'AbortError');
  }
  return Buffer.concat(chunks).toString('utf8');
};

const formToObject = (text: string): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(text.trim()));

export type ParsedBody = { ok: true; value: unknown } | { ok: false };

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

/** A request's `form` as sent: the fields with a value, `application/x-www-form-urlencoded`. */
export const formParametersOf = (form: Record<string, string | undefined>): URLSearchParams =>
  new URLSearchParams(
    Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
