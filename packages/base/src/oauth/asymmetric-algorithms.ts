/**
 * The asymmetric JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1): what a client assertion may be
 * signed with (`private_key_jwt`) and what an ID token is accepted with. Never `none`, never HMAC:
 * an HS256 token "signed" with a public key must not verify.
 */
export const asymmetricJwsAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export type AsymmetricJwsAlgorithm = (typeof asymmetricJwsAlgorithms)[number];
