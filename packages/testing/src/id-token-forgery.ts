import { ConnectorError, type SocialConnector } from '@logto/connector-kit';
import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConnectorSession } from './msw';

/**
 * ID-token forgery suite (OIDC Core §3.1.3.7): every token an attacker or a broken provider could
 * put in a token response, served through msw at the provider's token endpoint so each goes
 * through the connector's real sign-in path (authorization URL, session, code exchange,
 * verification). Every forgery must end in `social_invalid_id_token`; one genuine token (the
 * control) must sign in, so a rejection is never the harness's fault.
 */

export type IdTokenForgeryOptions = {
  connector: string;
  /** Creates the connector configured for `clientId` against the URLs below. */
  create: () => Promise<SocialConnector>;
  clientId: string;
  /** The `iss` the connector expects. */
  issuer: string;
  /** Where the token response (carrying the ID token, with `idTokenIn: 'tokenResponse'`) is served. */
  tokenEndpoint?: string;
  jwksUri: string;
  /**
   * Where the ID token reaches the connector: in the token response of the code exchange (OIDC's
   * code flow), or in the callback itself next to the code (`response_type=code id_token`, Apple's
   * form_post; then no token endpoint is served, and a connector that calls one fails).
   * @default 'tokenResponse'
   */
  idTokenIn?: 'tokenResponse' | 'callback';
  /** Answered with the token's `sub` when the connector asks for userinfo. */
  userinfoEndpoint?: string;
  /** Served at `<issuer>/.well-known/openid-configuration` for a connector that discovers. */
  discoveryDocument?: Record<string, unknown>;
  /** Claims the genuine token carries besides iss/aud/sub/iat/exp/nonce (email, name...). */
  extraClaims?: JWTPayload;
  /** Clear per-process caches (JWKS) before each case. */
  beforeEachCase?: () => void;
};

type Keys = {
  signingKey: PrivateKey;
  publicJwk: JWK;
  publicPem: string;
  otherKey: PrivateKey;
  otherPublicJwk: JWK;
};

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const kid = 'forgery-suite-key';

const unsignedToken = (header: object, payload: object) =>
  `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;

type Forgery = {
  name: string;
  /** Builds the `id_token` for a sign-in whose session nonce is `nonce`. */
  token: (context: { keys: Keys; claims: JWTPayload; earlierNonce: string }) => Promise<string>;
};

/** Claims set to `undefined` are left out (JSON drops them). */
const sign = (key: PrivateKey, claims: JWTPayload, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header }).sign(key);

const now = () => Math.floor(Date.now() / 1000);

const forgeries: Forgery[] = [
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

export const describeIdTokenForgery = (options: IdTokenForgeryOptions) => {
  let keys: Keys;
  let nextIdToken: () => Promise<string> = async () => 'unset';
  const inCallback = options.idTokenIn === 'callback';
  if (!inCallback && !options.tokenEndpoint) {
    throw new Error('describeIdTokenForgery: `tokenEndpoint` is needed to serve the ID token');
  }
  const server = setupServer(
    ...(!inCallback && options.tokenEndpoint
      ? [
          http.post(options.tokenEndpoint, async () =>
            HttpResponse.json({
              access_token: 'forgery-suite-access-token',
              token_type: 'Bearer',
              expires_in: 3600,
              scope: 'openid profile email',
              id_token: await nextIdToken(),
            }),
          ),
        ]
      : []),
    http.get(options.jwksUri, () =>
      HttpResponse.json({ keys: [{ ...keys.publicJwk, kid, alg: 'RS256', use: 'sig' }] }),
    ),
    ...(options.discoveryDocument
      ? [
          http.get(`${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, () =>
            HttpResponse.json(options.discoveryDocument),
          ),
        ]
      : []),
    ...(options.userinfoEndpoint
      ? [
          http.all(options.userinfoEndpoint, () =>
            HttpResponse.json({ sub: 'forgery-suite-user', ...options.extraClaims }),
          ),
        ]
      : []),
  );

  beforeAll(async () => {
    const signing = await generateKeyPair('RS256', { extractable: true });
    const other = await generateKeyPair('RS256', { extractable: true });
    keys = {
      signingKey: signing.privateKey,
      publicJwk: await exportJWK(signing.publicKey),
      publicPem: await exportSPKI(signing.publicKey),
      otherKey: other.privateKey,
      otherPublicJwk: await exportJWK(other.publicKey),
    };
    server.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(() => server.close());
  beforeEach(() => options.beforeEachCase?.());

  /** A sign-in whose token response carries `build(nonce of this sign-in, an earlier nonce)`. */
  const signInWith = async (build: (nonce: string, earlierNonce: string) => Promise<string>) => {
    const connector = await options.create();
    const start = async () => {
      const session = createConnectorSession();
      await connector.getAuthorizationUri(
        {
          state: 'forgery-state',
          redirectUri: 'https://logto.example.com/callback/forgery',
          connectorId: 'forgery',
          connectorFactoryId: 'forgery',
          jti: 'forgery-jti',
          headers: {},
        },
        session.setSession,
      );
      return session;
    };
    const earlier = await start();
    const current = await start();
    const nonce = String(current.current.nonce);
    const earlierNonce = String(earlier.current.nonce);
    expect(nonce, 'the connector sends no nonce').not.toBe('undefined');
    expect(nonce).not.toBe(earlierNonce);
    nextIdToken = () => build(nonce, earlierNonce);
    return connector.getUserInfo(
      inCallback
        ? { code: 'code', state: 'forgery-state', id_token: await nextIdToken() }
        : { code: 'code', state: 'forgery-state' },
      current.getSession,
    );
  };

  const claimsFor = (nonce: string): JWTPayload => ({
    iss: options.issuer,
    aud: options.clientId,
    azp: options.clientId,
    sub: 'forgery-suite-user',
    iat: now(),
    exp: now() + 600,
    nonce,
    ...options.extraClaims,
  });

  describe(`${options.connector} ID-token forgery`, () => {
    it('signs in with a genuine ID token (the control)', async () => {
      const user = await signInWith(async (nonce) => sign(keys.signingKey, claimsFor(nonce)));
      expect(user.id).toBe('forgery-suite-user');
    });

    for (const forgery of forgeries) {
      it(`rejects an ID token with ${forgery.name} as social_invalid_id_token`, async () => {
        const outcome = await signInWith(async (nonce, earlierNonce) =>
          forgery.token({
            keys,
            claims: claimsFor(nonce),
            earlierNonce,
          }),
        ).then(
          (user) => ({ user }),
          (error: unknown) => ({ error }),
        );
        expect(outcome, 'the forged token signed in').not.toHaveProperty('user');
        const { error } = outcome as { error: unknown };
        expect(error).toBeInstanceOf(ConnectorError);
        expect((error as ConnectorError).code, (error as ConnectorError).message).toBe(
          'social_invalid_id_token',
        );
      });
    }
  });
};
