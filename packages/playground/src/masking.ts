/**
 * Secrets on the page are masked: a few leading characters and the length, enough to tell two
 * tokens apart and see that one came back, not enough to use it.
 */

const secretKeyPattern =
  /(secret|password|passwd|^pass$|(access|refresh|id)_?token|api_?key|^token$|private_?key|credential|^code$|code_verifier)/i;
/**
 * Keys that name something about a secret, not the secret: `clientSecretJwtSigningAlgorithm`,
 * `tokenEndpointAuthMethod`, `token_type`, `passwordPolicy`, `clientSecretExpiresAt`, and a
 * discovery document's lists (`id_token_signing_alg_values_supported`).
 */
const aboutSecretKeyPattern =
  /(algorithm|alg|method|type|policy|expires_?(at|in)|length|location|supported)$/i;

const isSecretKey = (key: string) => secretKeyPattern.test(key) && !aboutSecretKeyPattern.test(key);

/** What `@idplug/base` puts in place of a secret it redacted: nothing left to mask. */
const redactedByBase = '[redacted]';

export const maskSecret = (value: string): string => {
  if (value === redactedByBase) {
    return value;
  }
  const visible = value.length > 16 ? 6 : value.length > 8 ? 3 : 0;
  return `${value.slice(0, visible)}… (${value.length} characters, masked)`;
};

/** A copy of `value` with every string under a secret-looking key masked, at any depth. */
export const maskSecrets = (value: unknown, underSecretKey = false): unknown => {
  if (typeof value === 'string') {
    return underSecretKey ? maskSecret(value) : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => maskSecrets(item, underSecretKey));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        maskSecrets(item, underSecretKey || isSecretKey(key)),
      ]),
    );
  }
  return value;
};

/** The claims of a JWT (not verified here: the connector has verified it). */
export const decodeJwtClaims = (token: string): Record<string, unknown> | undefined => {
  const [, payload] = token.split('.');
  if (!payload) {
    return undefined;
  }
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Every string under a secret-looking key, at any depth: what `maskSecrets` would mask. */
export const secretValuesOf = (value: unknown, underSecretKey = false): string[] => {
  if (typeof value === 'string') {
    return underSecretKey ? [value] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item) => secretValuesOf(item, underSecretKey));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      secretValuesOf(item, underSecretKey || isSecretKey(key)),
    );
  }
  return [];
};

/** Shorter values are not searched for in texts: masking every "abc" would garble the page. */
const minimumTextSecretLength = 4;

/**
 * A copy of `text` with each known secret masked wherever it appears, as typed and in the
 * spellings a request carries it (form- and URL-encoded, JSON-escaped, Base64 as in a Basic
 * header). Longest first, so a secret holding another is masked whole.
 */
export const maskSecretsInText = (text: string, secrets: Iterable<string>): string => {
  const spellings = new Map<string, string>();
  for (const secret of secrets) {
    if (secret.trim().length < minimumTextSecretLength) {
      continue;
    }
    const masked = maskSecret(secret);
    for (const spelling of [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
    ]) {
      spellings.set(spelling, masked);
    }
  }
  let result = text;
  for (const [spelling, masked] of [...spellings].sort(([a], [b]) => b.length - a.length)) {
    result = result.split(spelling).join(masked);
  }
  return result;
};
