import { z } from 'zod';

/**
 * A URL an operator types into the console (an Enterprise Server, a self-managed GitLab, an API
 * endpoint). Checked without ever throwing: Logto's console runs the guard itself
 * (`validateConfig`), and an exception there is a 500 instead of a message beside the field. A
 * `.refine(v => new URL(v))` after `.url()` still runs when `.url()` failed, and throws.
 */

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export const isLoopbackUrl = (url: URL): boolean => loopbackHosts.has(url.hostname);

/** The parsed URL, or `undefined` for anything `new URL` would throw on. */
const parseUrl = (value: string): URL | undefined => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

export type UrlFieldOptions = {
  /** Plain `http://` for loopback hosts (local emulators and receivers). @default true */
  allowLoopbackHttp?: boolean;
  /** Plain `http://` anywhere (an in-house receiver on a private network). @default false */
  allowHttp?: boolean;
};

/** An absolute `https://` URL (see the options for `http://`), trimmed. */
export const urlConfigField = ({
  allowLoopbackHttp = true,
  allowHttp = false,
}: UrlFieldOptions = {}) =>
  z
    .string()
    .trim()
    .superRefine((value, context) => {
      const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? parseUrl(value) : undefined;
      if (!url) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          message: 'must be an absolute URL with its scheme, such as https://example.com',
        });
        return;
      }
      const httpAllowed = allowHttp || (allowLoopbackHttp && isLoopbackUrl(url));
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && httpAllowed)) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          message: allowHttp ? 'must be an http:// or https:// URL' : 'must be an https:// URL',
        });
      }
      if (url.username || url.password) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          message: 'must not carry a user name or password; use the credential fields instead',
        });
      }
    });

/**
 * A number an operator may type as text (`"10000"`), or leave blank (unset). Only numbers and
 * numeric text are converted: `z.coerce.number()` would call `Number(value)` on anything, and an
 * object whose `toString` throws would crash the guard.
 */
export const numberFromText = (value: unknown): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  const text = value.trim();
  if (text === '') {
    return undefined;
  }
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : value;
};

/** A blank text field (the console saves `""` for an emptied input) read as unset. */
export const blankAsUnset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** What the console and the README say about `sendTimeoutConfigField` (its form item too). */
export const sendTimeoutDescription =
  'How long one send may take, in milliseconds (1000 to 60000). 10000 when empty.';

/**
 * `timeout` of an email or SMS API connector: milliseconds one send may take, typed as a number or
 * as text (the console's number input can save `"10000"`), 1000 to 60000; blank is unset.
 */
export const sendTimeoutConfigField = (description = sendTimeoutDescription) =>
  z
    .preprocess(numberFromText, z.number().int().min(1000).max(60_000).optional())
    .describe(description);

/**
 * The HTTP deadline a config asks for through the standard `timeout` key (see
 * `timeoutConfigField` and `sendTimeoutConfigField`), or nothing, which leaves the client's
 * default: what every definer uses when a connector does not say otherwise.
 */
export const timeoutOptionsOf = (config: unknown): { timeoutMs?: number } => {
  const timeout =
    config && typeof config === 'object' ? (config as { timeout?: unknown }).timeout : undefined;
  return typeof timeout === 'number' && timeout > 0 ? { timeoutMs: timeout } : {};
};
