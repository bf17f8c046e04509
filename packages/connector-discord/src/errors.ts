import { connectorError } from '@idplug/base';
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

/**
 * Discord's error answers (https://discord.com/developers/docs/topics/rate-limits and
 * https://discord.com/developers/docs/topics/opcodes-and-status-codes#json): a 429 carries
 * `retry_after` in fractional seconds in its JSON body and `X-RateLimit-Reset-After` in a header;
 * other errors are `{ code, message }`. A 401 is left to base (`social_invalid_access_token`), OAuth
 * `{ error }` bodies of the token endpoint too.
 */

const secondsOf = (value: unknown): number | undefined => {
  const seconds = typeof value === 'string' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
    ? seconds
    : undefined;
};

/** Whole seconds to wait, rounded up: waiting 64 s when Discord said 64.57 s would be refused again. */
const retryAfterOf = (body: Record<string, unknown>, headers: Headers): number | undefined => {
  const seconds =
    secondsOf(body.retry_after) ??
    secondsOf(headers.get('x-ratelimit-reset-after')) ??
    secondsOf(headers.get('retry-after'));
  return seconds === undefined ? undefined : Math.ceil(seconds);
};

export const readDiscordError = (
  body: unknown,
  { status, headers }: { status: number; headers: Headers },
): ConnectorError | undefined => {
  const fields = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
  const record = fields as Record<string, unknown>;
  if (status === 429) {
    const retryAfter = retryAfterOf(record, headers);
    const scope =
      headers.get('x-ratelimit-scope') ?? (record.global === true ? 'global' : undefined);
    return connectorError(
      ConnectorErrorCodes.RateLimitExceeded,
      `Discord is rate limiting requests${retryAfter === undefined ? '' : `; retry after ${retryAfter} s`}`,
      {
        provider: 'Discord',
        status,
        ...(retryAfter !== undefined && { retryAfter }),
        ...(scope && { hint: `rate limit scope: ${scope}` }),
      },
    );
  }
  if (status < 400 || status === 401 || typeof record.error === 'string') {
    return undefined;
  }
  const message = typeof record.message === 'string' ? record.message : undefined;
  const code = typeof record.code === 'number' ? record.code : undefined;
  if (message === undefined && code === undefined) {
    return undefined;
  }
  return connectorError(
    ConnectorErrorCodes.General,
    `Discord answered HTTP ${status}${message ? `: ${message.slice(0, 200)}` : ''}`,
    { provider: 'Discord', status, ...(code !== undefined && { providerCode: String(code) }) },
  );
};
