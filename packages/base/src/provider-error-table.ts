import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError } from './errors';
import { parseRetryAfter } from './http';

/**
 * A provider API's error answers, declared as a table instead of written as a branchy function:
 * what the body says (`readFields`), then per HTTP status the connector-kit code and the sentence
 * to show. Any 2xx is no error. A rate-limited answer carries the seconds to wait.
 */

/** What a provider's error body says, as far as `ConnectorErrorData` shows it. */
export type ProviderErrorFields = {
  /** The provider's own error code or exception name. */
  providerCode?: string;
  /** The provider's own explanation. */
  description?: string;
  /** What to do about it. */
  hint?: string;
};

/** What a rule's message is made from: the fields, the status and the seconds to wait. */
export type ProviderErrorAnswer<Fields> = Fields & {
  status: number;
  /** `: <description>`, or nothing when the provider said nothing. */
  said: string;
  retryAfter?: number;
};

export type ProviderErrorRule<Fields> = {
  /** The code, or a function of the fields (a table keyed by the provider's own codes). */
  code: ConnectorErrorCodes | ((fields: Fields) => ConnectorErrorCodes);
  /** The sentence after the provider's name ("SendGrid answered HTTP 500: ..."). */
  message: (answer: ProviderErrorAnswer<Fields>) => string;
};

export type ProviderErrorTable<Fields extends ProviderErrorFields> = {
  provider: string;
  /** Reads the body (as text; empty when the body was not text) and headers. */
  readFields: (text: string, headers: Headers) => Fields;
  statuses: Readonly<Partial<Record<number, ProviderErrorRule<Fields>>>>;
  /** Any other status. */
  otherwise: ProviderErrorRule<Fields>;
  /** Seconds to wait before retrying. @default the `Retry-After` header (RFC 9110 §10.2.3) */
  retryAfterOf?: (headers: Headers) => number | undefined;
};

/** The `readProviderError` of base's HTTP client for a table. */
export const providerErrorReader =
  <Fields extends ProviderErrorFields>({
    provider,
    readFields,
    statuses,
    otherwise,
    retryAfterOf = (headers) => parseRetryAfter(headers.get('retry-after')),
  }: ProviderErrorTable<Fields>) =>
  (
    body: unknown,
    { status, headers }: { status: number; headers: Headers },
  ): ConnectorError | undefined => {
    if (status >= 200 && status < 300) {
      return undefined;
    }
    const fields = readFields(typeof body === 'string' ? body : '', headers);
    const rule = statuses[status] ?? otherwise;
    const code = typeof rule.code === 'function' ? rule.code(fields) : rule.code;
    const retryAfter =
      code === ConnectorErrorCodes.RateLimitExceeded ? retryAfterOf(headers) : undefined;
    const { providerCode, description, hint } = fields;
    return connectorError(
      code,
      `${provider} ${rule.message({ ...fields, status, said: description ? `: ${description}` : '', ...(retryAfter !== undefined && { retryAfter }) })}`,
      {
        provider,
        status,
        ...(providerCode && { providerCode }),
        ...(description && { description }),
        ...(hint && { hint }),
        ...(retryAfter !== undefined && { retryAfter }),
      },
    );
  };
