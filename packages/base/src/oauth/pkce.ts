import { createHash, randomBytes } from 'node:crypto';

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
