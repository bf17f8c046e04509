import type { SocialConnector } from '@logto/connector-kit';
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectConnectorError } from './expect-connector-error';
import { forgeries, type Keys, kid, now, sign } from './id-token-forgeries';
import { createConnectorSession } from './msw';

export { idTokenForgeryNames } from './id-token-forgeries';

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
    return connector.getUserInfo(
      inCallback ? { ...callback, id_token: await nextIdToken() } : callback,
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
