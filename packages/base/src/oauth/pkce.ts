import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** RFC 7636 PKCE with S256: the verifier is 43 characters of base64url (§4.1), never `plain`. */
export type PkcePair = { codeVerifier: string; codeChallenge: string; codeChallengeMethod: 'S256' };

export const createCodeChallenge = (codeVerifier: string): string =>
  createHash('sha256').update(codeVerifier).digest('base64url');

export const createPkcePair = (): PkcePair => {
  const codeVerifier = randomBytes(32).toString('base64url');
  return {
    codeVerifier,
    codeChallenge: createCodeChallenge(codeVerifier),
    codeChallengeMethod: 'S256',
  };
};

/** A random value for `state` or `nonce`: 128 bits, base64url. */
export const createRandomToken = (): string => randomBytes(16).toString('base64url');

/**
 * When to send a PKCE challenge: `always`, `never`, or `auto`, which follows the provider's
 * discovery document (RFC 8414 §2 `code_challenge_methods_supported`): S256 when it lists S256,
 * none when it lists only other methods. Without the list (no discovery, or a provider that does
 * not publish it) `auto` still sends S256: RFC 7636 §5 has servers without PKCE ignore the
 * parameters, and RFC 9700 §2.1.1 asks clients to use it. `true` and `false` are `always` and
 * `never`, for configs stored when the switch was a boolean.
 */
export const pkceModeGuard = z
  .union([z.boolean(), z.enum(['auto', 'always', 'never'])])
  .default('auto')
  .transform((mode) => (mode === true ? 'always' : mode === false ? 'never' : mode));

/** `auto`, `always` or `never`, after the booleans are read. */
export type PkceMode = z.output<typeof pkceModeGuard>;

/** Whether this sign-in sends a challenge, for a mode and the discovered methods (if any). */
export const pkceWanted = (
  mode: PkceMode,
  codeChallengeMethodsSupported: readonly string[] | undefined,
): boolean =>
  mode === 'always' ||
  (mode === 'auto' &&
    (codeChallengeMethodsSupported === undefined ||
      codeChallengeMethodsSupported.includes('S256')));
