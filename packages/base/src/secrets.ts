import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

/**
 * Keeps secrets out of everything a connector throws. A redactor knows the configured secrets
 * (client secrets, access key secrets, passwords, private keys) and the tokens met during a flow,
 * and replaces them wherever they appear in an error's message or data.
 */

const redacted = '[redacted]';

/** Config keys whose values are secrets, whatever the connector. */
const secretKeyPattern =
  /(secret|password|passwd|^pass$|(access|refresh|id|api|auth|bearer|session)_?token|api_?key|^token$|private_?key|credential|assertion)/i;

/** Secrets shorter than this are not redacted: replacing "a" everywhere would destroy messages. */
const minimumSecretLength = 4;
/** Inside a secret object (a private JWK), short members such as `"RS256"` are not secrets. */
const minimumNestedSecretLength = 16;

/** Collects every string value under a secret-looking key, at any depth (arrays included). */
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
      collectSecrets(item, underSecretKey || secretKeyPattern.test(key), underSecretKey),
    );
  }
  return [];
};

// Tokens inside a raw body excerpt we could not parse: `"access_token": "..."` or `access_token=...`.
const tokenInJsonPattern =
  /("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*")[^"]*(")/gi;
const tokenInFormPattern = /((?:access_token|refresh_token|id_token|client_secret)=)[^&\s]*/gi;

export class SecretRedactor {
  private readonly secrets = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const secret of initial) {
      this.add(secret);
    }
  }

  /** Adds a secret (a token met during a flow, say). Blank and very short values are ignored. */
  add(secret: string | undefined): this {
    if (typeof secret === 'string' && secret.trim().length >= minimumSecretLength) {
      this.secrets.add(secret);
      // The same secret as it appears form-encoded or in a Basic header.
      this.secrets.add(encodeURIComponent(secret));
      this.secrets.add(Buffer.from(secret).toString('base64'));
    }
    return this;
  }

  /** Adds every secret-looking value of a config object. */
  addConfig(config: unknown): this {
    for (const secret of collectSecrets(config)) {
      this.add(secret);
    }
    return this;
  }

  redactText(text: string): string {
    let result = text
      .replace(tokenInJsonPattern, `$1${redacted}$2`)
      .replace(tokenInFormPattern, `$1${redacted}`);
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (secret.length >= minimumSecretLength) {
        result = result.split(secret).join(redacted);
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
        secretKeyPattern.test(key) && typeof item === 'string'
          ? redacted
          : this.redact(item, depth + 1),
      ]),
    ) as T;
  }

  /**
   * Turns anything thrown into a `ConnectorError` free of known secrets: a `ConnectorError` keeps
   * its code; anything else becomes `general` naming what went wrong.
   */
  toConnectorError(error: unknown): ConnectorError {
    if (error instanceof ConnectorError) {
      const data: unknown = this.redact(error.data);
      const safe = new ConnectorError(error.code, data as never);
      safe.message = this.redactText(error.message);
      return safe;
    }
    const message =
      error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
    return new ConnectorError(ConnectorErrorCodes.General, {
      message: this.redactText(`Unexpected error in the connector: ${message}`),
    });
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
