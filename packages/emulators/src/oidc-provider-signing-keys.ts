import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT, UnsecuredJWT } from 'jose';

/** The ID token signing algorithms the emulator's keys cover (`id_token_signed_response_alg`). */
export type EmulatorSigningAlgorithm = 'RS256' | 'PS256' | 'ES256';

/** One generation of signing keys: an RSA key (RS256, PS256) and a P-256 key (ES256). */
export type SigningKeyGeneration = {
  rsa: JWK & { kid: string };
  ec: JWK & { kid: string };
};

const generatePrivateJwk = async (
  alg: 'RS256' | 'ES256',
  kid: string,
): Promise<JWK & { kid: string }> => {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  // No `alg` member: oidc-provider then uses the RSA key for both RS256 and PS256.
  return { ...(await exportJWK(privateKey)), kid, use: 'sig' };
};

/** Kids are unique across emulators and generations, so a JWKS cache keyed by kid never confuses two. */
export const generateSigningKeys = async (generation: number): Promise<SigningKeyGeneration> => {
  const suffix = `${generation}-${randomBytes(4).toString('hex')}`;
  const [rsa, ec] = await Promise.all([
    generatePrivateJwk('RS256', `rsa-${suffix}`),
    generatePrivateJwk('ES256', `ec-${suffix}`),
  ]);
  return { rsa, ec };
};

export type SignIdTokenOptions = {
  /**
   * `none` produces an unsecured JWT (RFC 7519 §6), which a relying party must reject.
   * @default 'RS256'
   */
  alg?: EmulatorSigningAlgorithm | 'none';
  /**
   * `current` signs with the key the JWKS publishes. `unpublished` signs with a throwaway key but
   * the current `kid`, so the relying party finds the key and the signature does not verify.
   * @default 'current'
   */
  key?: 'current' | 'unpublished';
  /** Overrides the `kid` header (e.g. a kid the JWKS does not have). */
  kid?: string;
};

export const signJwt = async (
  claims: Record<string, unknown>,
  keys: SigningKeyGeneration,
  options: SignIdTokenOptions,
): Promise<string> => {
  const alg = options.alg ?? 'RS256';
  if (alg === 'none') {
    return new UnsecuredJWT(claims).encode();
  }

  const current = alg === 'ES256' ? keys.ec : keys.rsa;
  const signingJwk =
    options.key === 'unpublished'
      ? await generatePrivateJwk(alg === 'ES256' ? 'ES256' : 'RS256', current.kid)
      : current;
  const signingKey = await importJWK(signingJwk, alg);
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: options.kid ?? current.kid })
    .sign(signingKey);
};
