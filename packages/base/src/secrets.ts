import {
  type ConnectorConfigFormItem,
  ConnectorError,
  ConnectorErrorCodes,
} from '@logto/connector-kit';
import { type ConnectorErrorData, connectorErrorData, setErrorCause } from './errors';

/**
 * Keeps secrets out of everything a connector throws. A redactor knows the configured secrets
 * (client secrets, access key secrets, passwords, private keys), the credentials every request
 * carried (registered by the HTTP client when it builds the request: Basic header values, client
 * assertions, bearer tokens, URL credentials) and the codes and tokens met during a flow, and
 * replaces them wherever they appear in an error's message, data and cause.
 */

const redacted = '[redacted]';

/**
 * Config keys whose values are secrets, whatever the connector: the WHOLE key name must be a
 * secret's name (`clientSecret`, `accessKeySecret`, `pass`, `clientPrivateKey`, `apiKey`,
 * `refreshToken`), so configuration objects that merely mention one (`idTokenVerificationConfig`,
 * `tokenEndpoint`, `clientSecretJwtSigningAlgorithm`) are not taken for secrets and stay readable.
 */
const secretKeyPattern =
  /^(?:.*(?:secret|password|passwd|passphrase|private_?key|api_?key|(?:access|refresh|id|api|auth|bearer|session)_?token|assertion|credentials?)|pass|pwd|token)$/i;

/** Whether a key (of a config or of error data) names a secret. */
export const isSecretKey = (key: string): boolean => secretKeyPattern.test(key);

/** Secrets shorter than this are not redacted: replacing "a" everywhere would destroy messages. */
const minimumSecretLength = 4;
/** Inside a secret object (a private JWK), short members such as `"RS256"` are not secrets. */
const minimumNestedSecretLength = 16;
/**
 * A prefix of a secret this long, where a text was cut (at `…` or its end), is taken for the
 * secret: 8 characters of a 40-character secret are already a real loss.
 */
export const minimumRedactedPrefixLength = 8;

/** Collects every string value under a secret key, at any depth (arrays included). */
export const collectSecrets = (
  value: unknown,
  underSecretKey = false,
  nested = false,
): string[] => {
  if (typeof value === 'string') {
    return underSecretKey && (!nested || value.length >= minimumNestedSecretLength) ? [value] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item) => collectSecrets(item, underSecretKey, nested));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      collectSecrets(item, underSecretKey || isSecretKey(key), underSecretKey),
    );
  }
  return [];
};

/** Keys of the form items Logto's console masks: `Password` fields and confidential ones. */
export const confidentialFormItemKeys = (
  formItems: readonly ConnectorConfigFormItem[] | undefined,
): string[] =>
  (formItems ?? [])
    .filter(
      (item) =>
        // `Password` exists in newer connector-kit versions; `isConfidential` in all we support.
        (item.type as string) === 'Password' ||
        (item as { isConfidential?: boolean }).isConfidential === true,
    )
    .map((item) => item.key);

// Tokens inside a raw body we could not parse: `"access_token": "..."` or `access_token=...`.
const tokenNames =
  'access_token|refresh_token|id_token|client_secret|client_assertion|code_verifier';
const tokenInJsonPattern = new RegExp(`("(?:${tokenNames})"\\s*:\\s*")[^"]*(")`, 'gi');
const tokenInFormPattern = new RegExp(`((?:${tokenNames})=)[^&\\s"]*`, 'gi');
// An echoed `Authorization` header: whatever the scheme, the credential after it is a secret (a
// credential has a digit or a symbol, so "Bearer authentication" in prose is left alone).
const authorizationPattern =
  /\b(Basic|Bearer|Digest|DPoP|mac)(\s+)(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{8,}/gi;

export type SecretRedactorOptions = {
  /** The connector's provider name: fills `data.provider` of errors that did not name one. */
  provider?: string;
};

export class SecretRedactor {
  private readonly secrets = new Set<string>();
  provider: string | undefined;

  constructor(initial: Iterable<string> = [], options: SecretRedactorOptions = {}) {
    this.provider = options.provider;
    for (const secret of initial) {
      this.add(secret);
    }
  }

  /** Adds a secret (a token met during a flow, say). Blank and very short values are ignored. */
  add(secret: string | undefined): this {
    if (typeof secret === 'string' && secret.trim().length >= minimumSecretLength) {
      this.secrets.add(secret);
      // The same secret as it appears form-encoded, JSON-escaped or in a Basic header.
      this.secrets.add(encodeURIComponent(secret));
      this.secrets.add(new URLSearchParams({ s: secret }).toString().slice(2));
      this.secrets.add(JSON.stringify(secret).slice(1, -1));
      this.secrets.add(Buffer.from(secret).toString('base64'));
    }
    return this;
  }

  /**
   * Adds the credential of an `Authorization` header value (`Basic <base64>`, `Bearer <token>`):
   * the whole value, the credential alone, and for Basic what it decodes to.
   */
  addAuthorization(value: string | undefined): this {
    if (!value) {
      return this;
    }
    this.add(value);
    const [scheme, ...rest] = value.trim().split(/\s+/);
    const credential = rest.join(' ');
    this.add(credential);
    if (scheme?.toLowerCase() === 'basic' && credential) {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      // The secret half, and its form-decoded spelling (RFC 6749 §2.3.1 form-encodes both halves).
      const password = separator === -1 ? decoded : decoded.slice(separator + 1);
      this.add(password);
      try {
        this.add(decodeURIComponent(password.replace(/\+/g, ' ')));
      } catch {
        // Not form-encoded: the raw half is registered already.
      }
    }
    return this;
  }

  /** Adds the password of a URL with credentials (`https://user:pass@proxy/`). */
  addUrlCredentials(url: string): this {
    try {
      const { password } = new URL(url);
      if (password) {
        this.add(password);
        this.add(decodeURIComponent(password));
      }
    } catch {
      // Not a URL: nothing to register.
    }
    return this;
  }

  /**
   * Adds every secret of a config object: values under secret keys (`clientSecret`, `pass`...)
   * and the values of the form items the console masks (`Password`, `isConfidential`).
   */
  addConfig(config: unknown, formItems?: readonly ConnectorConfigFormItem[]): this {
    for (const secret of collectSecrets(config)) {
      this.add(secret);
    }
    if (config && typeof config === 'object') {
      for (const key of confidentialFormItemKeys(formItems)) {
        const value = (config as Record<string, unknown>)[key];
        for (const secret of typeof value === 'string' ? [value] : collectSecrets(value, true)) {
          this.add(secret);
        }
      }
    }
    return this;
  }

  /** Whether a text holds a known secret (before redaction). */
  holdsSecret(text: string): boolean {
    return [...this.secrets].some((secret) => text.includes(secret));
  }

  /**
   * Redacts a whole text: known secrets wherever they are, tokens in raw bodies and echoed
   * `Authorization` credentials, then a long prefix of a secret where the text was cut. Cut a
   * text only AFTER redacting it (`excerptOf(redactor.redactText(text))`); the prefix rule is
   * the safety net for texts cut elsewhere.
   */
  redactText(text: string): string {
    let result = text
      .replace(tokenInJsonPattern, `$1${redacted}$2`)
      .replace(tokenInFormPattern, `$1${redacted}`)
      .replace(authorizationPattern, `$1$2${redacted}`);
    // Longest first, so a secret containing another is replaced whole.
    const secrets = [...this.secrets].sort((a, b) => b.length - a.length);
    for (const secret of secrets) {
      result = result.split(secret).join(redacted);
    }
    return this.redactCutPrefixes(result, secrets);
  }

  /**
   * Replaces a prefix (8 characters or more) of a secret that ends where the text was cut. Found
   * from the occurrences of the secret's first 8 characters, so a hostile text full of `…` costs
   * no more than a search.
   */
  private redactCutPrefixes(text: string, secrets: readonly string[]): string {
    let result = text;
    for (const secret of secrets) {
      if (secret.length <= minimumRedactedPrefixLength) {
        continue;
      }
      const head = secret.slice(0, minimumRedactedPrefixLength);
      let from = 0;
      for (
        let index = result.indexOf(head, from);
        index !== -1;
        index = result.indexOf(head, from)
      ) {
        let length = minimumRedactedPrefixLength;
        while (length < secret.length && result[index + length] === secret[length]) {
          length++;
        }
        const end = index + length;
        if (end === result.length || result[end] === '…') {
          result = `${result.slice(0, index)}${redacted}${result.slice(end)}`;
          from = index + redacted.length;
        } else {
          from = index + 1;
        }
      }
    }
    return result;
  }

  redact<T>(value: T, depth = 0): T {
    if (typeof value === 'string') {
      return this.redactText(value) as T;
    }
    if (depth > 20 || !value || typeof value !== 'object') {
      return value;
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.redact(item, depth + 1)) as T;
    }
    if (value instanceof Error) {
      return this.redactText(value.message) as T;
    }
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        isSecretKey(key) && typeof item === 'string' ? redacted : this.redact(item, depth + 1),
      ]),
    ) as T;
  }

  /**
   * A copy of an error (the `cause` of a `ConnectorError`) that holds no known secret: same name
   * and `code`, a redacted message, its own cause redacted the same way; no stack (a stack repeats
   * the message).
   */
  redactCause(cause: unknown, depth = 0): unknown {
    if (cause === undefined || cause === null) {
      return undefined;
    }
    if (!(cause instanceof Error)) {
      return typeof cause === 'string' ? this.redactText(cause) : undefined;
    }
    const copy = new Error(this.redactText(cause.message));
    copy.name = cause.name;
    copy.stack = `${copy.name}: ${copy.message}`;
    const { code } = cause as Error & { code?: unknown };
    if (typeof code === 'string' || typeof code === 'number') {
      Object.assign(copy, { code });
    }
    const inner = (cause as Error & { cause?: unknown }).cause;
    if (inner !== undefined && depth < 5) {
      setErrorCause(copy, this.redactCause(inner, depth + 1));
    }
    return copy;
  }

  /**
   * Turns anything thrown into a `ConnectorError` free of known secrets: a `ConnectorError` keeps
   * its code, its typed data (redacted, `provider` filled in) and a redacted `cause`; anything
   * else becomes `general` naming what went wrong, with the redacted original as its `cause`.
   */
  toConnectorError(error: unknown): ConnectorError {
    if (error instanceof ConnectorError) {
      const data = this.redact(connectorErrorData(error));
      const typed: ConnectorErrorData = {
        ...data,
        provider: data.provider || this.provider || '',
      };
      const safe = new ConnectorError(error.code, typed);
      safe.message = this.redactText(error.message);
      const cause = this.redactCause((error as Error & { cause?: unknown }).cause);
      if (cause !== undefined) {
        setErrorCause(safe, cause);
      }
      return safe;
    }
    const message =
      error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
    const safe = new ConnectorError(ConnectorErrorCodes.General, {
      message: this.redactText(`Unexpected error in the connector: ${message}`),
      provider: this.provider ?? '',
    } satisfies ConnectorErrorData);
    const cause = this.redactCause(error);
    if (cause !== undefined) {
      setErrorCause(safe, cause);
    }
    return safe;
  }

  /** Runs `operation`; whatever it throws comes out as a secret-free `ConnectorError`. */
  async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error: unknown) {
      throw this.toConnectorError(error);
    }
  }
}
