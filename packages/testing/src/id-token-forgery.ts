import type { SocialConnector } from '@logto/connector-kit';
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
import { expectConnectorError } from './expect-connector-error';
import { createConnectorSession } from './msw';

/**
 * ID-token forgery suite (OIDC Core §3.1.3.7): every token an attacker or a broken provider could
 * put in a token response, served through msw at the provider's token endpoint so each goes
 * through the connector's real sign-in path (authorization URL, session, code exchange,
 * verification). Every forgery must end in `social_invalid_id_token` without showing a secret;
 * one genuine token (the control) must sign in, so a rejection is never the harness's fault.
 *
 * The same path checks the callback (RFC 9207 mix-up defence: a foreign or malformed `iss` is
 * refused, a missing one too when discovery announces it, a missing `state` is accepted because
 * Logto compares it before calling the connector) and the operator's opt-ins: audiences listed as
 * trusted, and HMAC-signed tokens keyed with the client secret (OIDC Core §10.1) when an HMAC
 * algorithm is listed; with or without it, HS256 keyed with the public key never verifies.
 */

export type IdTokenForgeryOptions = {
  connector: string;
  /** Creates the connector configured for `clientId` against the URLs below. */
  create: () => Promise<SocialConnector>;
  clientId: string;
  /** The `iss` the connector expects. */
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** Answered with the token's `sub` when the connector asks for userinfo. */
  userinfoEndpoint?: string;
  /** Served at `<issuer>/.well-known/openid-configuration` for a connector that discovers. */
  discoveryDocument?: Record<string, unknown>;
  /** Claims the genuine token carries besides iss/aud/sub/iat/exp/nonce (email, name...). */
  extraClaims?: JWTPayload;
  /** Clear per-process caches (JWKS) before each case. */
  beforeEachCase?: () => void;
  /**
   * The connector's client secret: an HS256 token keyed with it must be refused unless
   * `hmacListed`, and must sign in when it is. Never shown in an error either.
   */
  clientSecret?: string;
  /** The config lists HS256 (the OIDC Core §10.1 opt-in). @default false */
  hmacListed?: boolean;
  /** A connector configured to trust `audience` besides the client (`trustedAudiences`). */
  trustedAudience?: { audience: string; create: () => Promise<SocialConnector> };
  /** Whether the connector compares a callback's `iss` with `issuer` (RFC 9207). @default true */
  checksCallbackIssuer?: boolean;
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
  appliesTo?: (options: IdTokenForgeryOptions) => boolean;
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

export const describeIdTokenForgery = (options: IdTokenForgeryOptions) => {
  let keys: Keys;
  let nextIdToken: () => Promise<string> = async () => 'unset';
  const server = setupServer(
    http.post(options.tokenEndpoint, async () =>
      HttpResponse.json({
        access_token: 'forgery-suite-access-token',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'openid profile email',
        id_token: await nextIdToken(),
      }),
    ),
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

  const issuerRequired =
    options.discoveryDocument?.authorization_response_iss_parameter_supported === true;
  /** What the provider's callback carries: the code, and `iss` when the provider announces it. */
  const defaultCallback = {
    code: 'forgery-suite-code',
    state: 'forgery-state',
    ...(issuerRequired && { iss: options.issuer }),
  };
  const secrets = [
    ...(options.clientSecret ? [options.clientSecret] : []),
    'forgery-suite-access-token',
  ];

  /** A sign-in whose token response carries `build(nonce of this sign-in, an earlier nonce)`. */
  const signInWith = async (
    build: (nonce: string, earlierNonce: string) => Promise<string>,
    {
      create = options.create,
      callback = defaultCallback,
    }: {
      create?: () => Promise<SocialConnector>;
      callback?: Record<string, unknown>;
    } = {},
  ) => {
    const connector = await create();
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
    return connector.getUserInfo(callback, current.getSession);
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

    for (const forgery of forgeries.filter(({ appliesTo }) => appliesTo?.(options) ?? true)) {
      it(`rejects an ID token with ${forgery.name} as social_invalid_id_token`, async () => {
        await expectConnectorError(
          signInWith(async (nonce, earlierNonce) =>
            forgery.token({
              keys,
              claims: claimsFor(nonce),
              earlierNonce,
              clientSecret: options.clientSecret ?? '',
            }),
          ),
          { code: 'social_invalid_id_token', secrets },
        );
      });
    }

    const { clientSecret, trustedAudience } = options;
    if (options.hmacListed && clientSecret) {
      it('signs in with an HS256 ID token keyed with the client secret, as listed (OIDC Core §10.1)', async () => {
        const user = await signInWith(async (nonce) =>
          new SignJWT(claimsFor(nonce))
            .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
            .sign(new TextEncoder().encode(clientSecret)),
        );
        expect(user.id).toBe('forgery-suite-user');
      });
    }

    if (trustedAudience) {
      it('signs in with an extra audience the operator listed as trusted', async () => {
        const user = await signInWith(
          async (nonce) =>
            sign(keys.signingKey, {
              ...claimsFor(nonce),
              aud: [options.clientId, trustedAudience.audience],
            }),
          { create: trustedAudience.create },
        );
        expect(user.id).toBe('forgery-suite-user');
      });

      it('still rejects an extra audience the operator did not list', async () => {
        await expectConnectorError(
          signInWith(
            async (nonce) =>
              sign(keys.signingKey, {
                ...claimsFor(nonce),
                aud: [options.clientId, trustedAudience.audience, 'https://untrusted.example.com'],
              }),
            { create: trustedAudience.create },
          ),
          { code: 'social_invalid_id_token', secrets },
        );
      });
    }
  });

  describe(`${options.connector} callback (RFC 9207 issuer, state)`, () => {
    const genuine = async (nonce: string) => sign(keys.signingKey, claimsFor(nonce));

    if (options.checksCallbackIssuer ?? true) {
      it('refuses a callback naming another issuer (mix-up), naming the configured issuer', async () => {
        const error = await expectConnectorError(
          signInWith(genuine, {
            callback: { ...defaultCallback, iss: 'https://attacker.example.com' },
          }),
          { code: 'general', secrets },
        );
        // The configured issuer is no secret: the message names it (never "[redacted]").
        expect(error.message).toContain(options.issuer);
      });
    }

    it('refuses a callback whose `iss` is not one string', async () => {
      await expectConnectorError(
        signInWith(genuine, {
          callback: { ...defaultCallback, iss: [options.issuer, 'https://attacker.example.com'] },
        }),
        { code: 'general', secrets },
      );
    });

    if (issuerRequired) {
      it('refuses a callback without `iss` when discovery announces it (RFC 9207 §2.4)', async () => {
        await expectConnectorError(
          signInWith(genuine, { callback: { code: 'forgery-suite-code' } }),
          { code: 'general', secrets },
        );
      });
    } else {
      it('signs in from a callback with neither `iss` nor `state` (Logto checks state itself)', async () => {
        const user = await signInWith(genuine, { callback: { code: 'forgery-suite-code' } });
        expect(user.id).toBe('forgery-suite-user');
      });
    }

    it('signs in from a callback naming the right issuer', async () => {
      const user = await signInWith(genuine, {
        callback: { code: 'forgery-suite-code', iss: options.issuer },
      });
      expect(user.id).toBe('forgery-suite-user');
    });
  });
};
