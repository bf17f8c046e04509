import { ConnectorErrorCodes } from '@logto/connector-kit';
import { z } from 'zod';
import { connectorError } from '../errors';

/**
 * Extra headers an operator adds to the token or userinfo requests, for providers that want more
 * than RFC 6749 and RFC 6750 ask for (Twitch's Helix API answers 401 without `Client-Id`). They
 * are data: names are RFC 9110 §5.6.2 tokens, values one line of visible ASCII, and the only
 * substitution is `{{clientId}}`. The client secret is never substituted: a header is not where a
 * secret belongs, and a template that could reach it would print it wherever the header goes.
 *
 * Headers the connector or the HTTP stack own are refused: `Authorization` carries the access
 * token (RFC 6750 §2.1) or the client's Basic credentials (RFC 6749 §2.3.1), and replacing it
 * would either break the request or send a credential the connector does not know to redact;
 * `Host`, `Content-Length`, `Content-Type`, `Transfer-Encoding` and the hop-by-hop headers of
 * RFC 9110 §7.6.1 describe the request itself, and a wrong one breaks it (or smuggles another).
 */

const headerNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,100}$/;
/** Visible ASCII, spaces and tabs: what RFC 9110 §5.5 lets a client send without surprises. */
const headerValuePattern = /^[\t\x20-\x7e]*$/;
const templatePattern = /\{\{\s*([^{}]*?)\s*\}\}/g;
const maxHeaders = 20;
const maxValueLength = 2000;

const refusedHeaderNames = [
  'authorization',
  'proxy-authorization',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
] as const;

const substitutions = ['clientId'] as const;

const templateProblem = (value: string): string | undefined => {
  for (const [, name] of value.matchAll(templatePattern)) {
    if (!substitutions.includes(name as (typeof substitutions)[number])) {
      return name === 'clientSecret'
        ? 'uses `{{clientSecret}}`: the client secret is never put in a header'
        : `uses \`{{${name?.slice(0, 40)}}}\`; only \`{{clientId}}\` is substituted`;
    }
  }
  return undefined;
};

/** `{ "Client-Id": "{{clientId}}" }`: at most 20 headers, refused names and values rejected. */
export const requestHeadersGuard = z
  .record(z.string().max(maxValueLength, `at most ${maxValueLength} characters`))
  .superRefine((headers, context) => {
    const names = Object.keys(headers);
    if (names.length > maxHeaders) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `at most ${maxHeaders} headers` });
      return;
    }
    const seen = new Set<string>();
    for (const name of names) {
      const value = headers[name] ?? '';
      const lower = name.toLowerCase();
      const problem = !headerNamePattern.test(name)
        ? "is not a header name (RFC 9110 §5.6.2: letters, digits and !#$%&'*+-.^_`|~)"
        : (refusedHeaderNames as readonly string[]).includes(lower)
          ? 'is set by the connector or the HTTP stack and cannot be configured'
          : seen.has(lower)
            ? 'is listed twice (header names are case-insensitive)'
            : !headerValuePattern.test(value)
              ? 'has a value with line breaks, control or non-ASCII characters'
              : templateProblem(value);
      seen.add(lower);
      if (problem) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          path: [name],
          message: `header ${JSON.stringify(name.slice(0, 60))} ${problem}`,
        });
      }
    }
  });

export type RequestHeaders = z.infer<typeof requestHeadersGuard>;

/** A config's extra headers with `{{clientId}}` filled in; `undefined` when there are none. */
export const resolveRequestHeaders = (
  headers: RequestHeaders | undefined,
  values: { clientId: string },
): Record<string, string> | undefined => {
  if (!headers || Object.keys(headers).length === 0) {
    return undefined;
  }
  const resolved: Record<string, string> = {};
  for (const [name, template] of Object.entries(headers)) {
    const value = template.replace(templatePattern, () => values.clientId);
    // The client id comes from the config too; one with a line break would split the header.
    if (!headerValuePattern.test(value)) {
      throw connectorError(
        ConnectorErrorCodes.InvalidConfig,
        `Header ${name} would carry a client ID with line breaks or non-ASCII characters; check \`clientId\``,
      );
    }
    resolved[name] = value;
  }
  return resolved;
};
