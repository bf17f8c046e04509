import { ConnectorError } from '@logto/connector-kit';
import { expect } from 'vitest';

/**
 * The one check every connector test makes of a failure: the promise rejects with a
 * `ConnectorError` of the expected code, and nothing the error shows (message, `data`, the
 * non-enumerable `cause`) holds a secret: not whole, not as a prefix of 8 or more characters (what
 * survives when a text is cut through a secret), not inside a base64 run (a `Basic
 * base64(id:secret)` header value, echoed by a provider).
 */

export type ExpectConnectorErrorOptions = {
  /** The expected `ConnectorError.code` (`invalid_config`, `general`...); any code when unset. */
  code?: string;
  /** Everything that must never show: client secrets, tokens, codes, passwords, private keys. */
  secrets?: readonly string[];
};

/** Characters of a secret that, at the start of one, already count as a leak. */
export const leakedPrefixLength = 8;

/** The form of a secret that must not appear: itself when short, else its first 8 characters. */
const leakMarkerOf = (secret: string): string =>
  secret.length > leakedPrefixLength ? secret.slice(0, leakedPrefixLength) : secret;

/** Every base64/base64url run of a text, decoded (a Basic header value, an encoded secret). */
const decodedBase64Runs = (text: string): string[] =>
  [...text.matchAll(/[A-Za-z0-9+/_-]{12,}={0,2}/g)].map(([run]) =>
    Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1'),
  );

/** The texts of an error a person or a log can see: message, data, cause chain. */
const visibleTextsOf = (error: ConnectorError): string[] => {
  const texts = [error.message, JSON.stringify(error.data) ?? ''];
  let cause = (error as Error & { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    texts.push(cause instanceof Error ? cause.message : String(cause));
    cause = cause instanceof Error ? (cause as Error & { cause?: unknown }).cause : undefined;
  }
  return texts;
};

/** Describes where a secret leaked, or `undefined` when the text is clean. */
export const findSecretLeak = (text: string, secrets: readonly string[]): string | undefined => {
  const decoded = decodedBase64Runs(text);
  for (const secret of secrets) {
    if (secret.length === 0) {
      continue;
    }
    const marker = leakMarkerOf(secret);
    if (text.includes(marker)) {
      return `holds ${secret === marker ? 'the secret' : 'a prefix of the secret'} ${JSON.stringify(marker)}…`;
    }
    const encoded = [
      encodeURIComponent(marker),
      Buffer.from(secret).toString('base64').slice(0, 11),
    ];
    for (const form of encoded) {
      if (form.length >= leakedPrefixLength && text.includes(form)) {
        return `holds an encoding of the secret ${JSON.stringify(marker)}…`;
      }
    }
    if (
      decoded.some((plain) => plain.includes(marker) || plain.includes(encodeURIComponent(marker)))
    ) {
      return `holds a base64 value (a Basic header?) that decodes to the secret ${JSON.stringify(marker)}…`;
    }
  }
  return undefined;
};

/**
 * Awaits `promise`, asserts it rejected with a `ConnectorError` of `code` that shows none of
 * `secrets`, and returns the error for further checks.
 */
export const expectConnectorError = async (
  promise: Promise<unknown>,
  { code, secrets = [] }: ExpectConnectorErrorOptions,
): Promise<ConnectorError> => {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) {
    expect.unreachable(`expected a ConnectorError(${code ?? 'any code'}), but it resolved`);
  }
  const { error } = outcome as { error: unknown };
  expect(error, `threw ${String(error)}`).toBeInstanceOf(ConnectorError);
  const connectorError = error as ConnectorError;
  if (code !== undefined) {
    expect(connectorError.code, connectorError.message).toBe(code);
  }
  for (const text of visibleTextsOf(connectorError)) {
    const leak = findSecretLeak(text, secrets);
    expect(leak, `the error ${leak}: ${text.slice(0, 500)}`).toBeUndefined();
  }
  return connectorError;
};
