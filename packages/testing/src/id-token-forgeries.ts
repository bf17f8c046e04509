import { base64url, type generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/**
 * The catalogue of forged ID tokens the forgery suite (id-token-forgery.ts) serves: every token an
 * attacker or a broken provider could put in a token response, each built for the sign-in it is
 * served to (its nonce, an earlier sign-in's nonce, the provider's keys, the client secret).
 */

export type Keys = {
  signingKey: PrivateKey;
  publicJwk: JWK;
  publicPem: string;
  otherKey: PrivateKey;
  otherPublicJwk: JWK;
};

export type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export const kid = 'forgery-suite-key';

const unsignedToken = (header: object, payload: object) =>
  `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;

type ForgeryContext = {
  keys: Keys;
  claims: JWTPayload;
  earlierNonce: string;
  clientSecret: string;
};

type Forgery = {
  name: string;
  /** Builds the `id_token` for a sign-in whose session nonce is `nonce`. */
  token: (context: ForgeryContext) => Promise<string>;
  /** Whether the forgery applies to a connector (HS256 with the secret is genuine when listed). */
  appliesTo?: (options: { clientSecret?: string; hmacListed?: boolean }) => boolean;
};

/** Claims set to `undefined` are left out (JSON drops them). */
export const sign = (key: PrivateKey, claims: JWTPayload, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header }).sign(key);

export const now = () => Math.floor(Date.now() / 1000);

export const forgeries: Forgery[] = [
  {
    name: '`alg: none` (no signature)',
    token: async ({ claims }) => unsignedToken({ alg: 'none', typ: 'JWT' }, claims),
  },
  {
    name: '`alg: none` with the published kid',
    token: async ({ claims }) => unsignedToken({ alg: 'none', kid, typ: 'JWT' }, claims),
  },
  {
    name: 'HS256 "signed" with the provider’s public key as the HMAC secret',
    token: async ({ keys, claims }) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
        .sign(new TextEncoder().encode(keys.publicPem)),
  },
  {
    name: 'HS256 "signed" with the public JWK’s modulus',
    token: async ({ keys, claims }) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
        .sign(base64url.decode(keys.publicJwk.n as string)),
  },
  {
    name: 'a kid the provider never published',
    token: async ({ keys, claims }) => sign(keys.otherKey, claims, { kid: 'unpublished-kid' }),
  },
  {
    name: 'the published kid, signed by another key',
    token: async ({ keys, claims }) => sign(keys.otherKey, claims),
  },
  {
    name: 'the attacker’s key embedded in the header (`jwk`)',
    token: async ({ keys, claims }) =>
      sign(keys.otherKey, claims, { kid: undefined, jwk: keys.otherPublicJwk }),
  },
  {
    name: 'a stripped signature',
    token: async ({ keys, claims }) => {
      const [header, payload] = (await sign(keys.signingKey, claims)).split('.');
      return `${header}.${payload}.`;
    },
  },
  {
    name: 'a genuine signature over other claims (payload swapped)',
    token: async ({ keys, claims }) => {
      const [header, , signature] = (await sign(keys.signingKey, claims)).split('.');
      const swapped = base64url.encode(JSON.stringify({ ...claims, sub: 'someone-else' }));
      return `${header}.${swapped}.${signature}`;
    },
  },
  {
    name: 'an expired token',
    token: async ({ keys, claims }) =>
      sign(keys.signingKey, { ...claims, iat: now() - 7200, exp: now() - 3600 }),
  },
  {
    name: 'an `iat` in the future',
    token: async ({ keys, claims }) =>
      sign(keys.signingKey, { ...claims, iat: now() + 3600, exp: now() + 7200 }),
  },
  {
    name: 'an `nbf` in the future',
    token: async ({ keys, claims }) => sign(keys.signingKey, { ...claims, nbf: now() + 3600 }),
  },
  {
    name: 'another audience',
    token: async ({ keys, claims }) =>
      sign(keys.signingKey, { ...claims, aud: 'another-client', azp: 'another-client' }),
  },
  {
    name: 'another issuer',
    token: async ({ keys, claims }) =>
      sign(keys.signingKey, { ...claims, iss: 'https://attacker.example.com' }),
  },
  {
    name: 'several audiences, `azp` another client',
    token: async ({ keys, claims }) =>
      sign(keys.signingKey, {
        ...claims,
        aud: [claims.aud as string, 'another-client'],
        azp: 'another-client',
      }),
  },
  {
    // OIDC Core §3.1.3.7 item 3 (errata set 2): extra audiences must be trusted by the client.
    name: 'several audiences, `azp` this client, one the client does not trust',
    token: async ({ keys, claims }) =>
      sign(keys.signingKey, {
        ...claims,
        aud: [claims.aud as string, 'https://untrusted-api.example.com'],
        azp: claims.aud as string,
      }),
  },
  {
    name: 'HS256 keyed with the client secret, HMAC not listed',
    appliesTo: (options) => options.clientSecret !== undefined && !options.hmacListed,
    token: async ({ claims, clientSecret }) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(clientSecret)),
  },
  {
    name: 'several audiences, no `azp`',
    token: async ({ keys, claims }) =>
      sign(keys.signingKey, {
        ...claims,
        aud: [claims.aud as string, 'another-client'],
        azp: undefined,
      }),
  },
  {
    name: 'no nonce',
    token: async ({ keys, claims }) => sign(keys.signingKey, { ...claims, nonce: undefined }),
  },
  {
    name: 'a nonce of another sign-in (a replayed token)',
    token: async ({ keys, claims, earlierNonce }) =>
      sign(keys.signingKey, { ...claims, nonce: earlierNonce }),
  },
  {
    name: 'no `sub`',
    token: async ({ keys, claims }) => sign(keys.signingKey, { ...claims, sub: undefined }),
  },
  {
    name: 'no `exp`',
    token: async ({ keys, claims }) => sign(keys.signingKey, { ...claims, exp: undefined }),
  },
  {
    name: 'not a JWT at all',
    token: async () => 'not-a-jwt',
  },
];

export const idTokenForgeryNames = forgeries.map(({ name }) => name);
