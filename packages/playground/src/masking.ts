/**
 * Secrets on the page are masked: a few leading characters and the length, enough to tell two
 * tokens apart and see that one came back, not enough to use it.
 */

const secretKeyPattern =
  /(secret|password|passwd|^pass$|(access|refresh|id)_?token|api_?key|^token$|private_?key|credential|^code$|code_verifier)/i;
/**
 * Keys that name something about a secret, not the secret: `clientSecretJwtSigningAlgorithm`,
 * `tokenEndpointAuthMethod`, `token_type`, `passwordPolicy`, `clientSecretExpiresAt`.
 */
const aboutSecretKeyPattern =
  /(algorithm|alg|method|type|policy|expires_?(at|in)|length|location)$/i;

const isSecretKey = (key: string) => secretKeyPattern.test(key) && !aboutSecretKeyPattern.test(key);

export const maskSecret = (value: string): string => {
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
