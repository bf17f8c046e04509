import {
  ConnectorErrorCodes,
  type SocialConnector,
  socialUserInfoGuard,
} from '@logto/connector-kit';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectConnectorError } from './expect-connector-error';
import {
  arbitraryClaims,
  configNear,
  fuzzTokens,
  hostileProfileMap,
  hostileValue,
  type ProviderAnswer,
  providerAnswer,
} from './fuzz-arbitraries';
import {
  expectOnlySafeConnectorErrors,
  type FuzzBudget,
  propertyTimeout,
  runParameters,
  secretsStillIn,
} from './fuzz-invariant';
import { useFuzzedProvider } from './fuzz-provider';
import { createConnectorSession } from './msw';

/**
 * The fuzz properties of a social connector: arbitrary provider answers, refresh answers,
 * callbacks, sessions and configs, and (OIDC) genuine ID tokens with arbitrary claims. Each run
 * succeeds with a user Logto accepts, or throws a `ConnectorError` free of the configured secrets
 * and of the tokens the connector met.
 */

export type SocialFuzzOptions = FuzzBudget & {
  connector: string;
  /** Creates the connector for a config (the default export, or its configurable twin). */
  create: (config: unknown) => Promise<SocialConnector>;
  validConfig: Record<string, unknown>;
  /**
   * Configured values that must never appear in an error: client secrets, private keys. The
   * refresh token passed to a refresh and the tokens met during a flow are added by the harness.
   */
  secrets: string[];
  /** Every URL the connector may call with `validConfig` (token, userinfo, JWKS, discovery...). */
  providerUrls: string[];
  /** Called before every run: clear per-process caches (JWKS, discovery). */
  beforeEachRun?: () => void;
  /**
   * For OIDC connectors: also sign in with GENUINE ID tokens (signed by a key the JWKS publishes,
   * for the right issuer, audience and nonce, mostly) carrying arbitrary claims, while the other
   * URLs (userinfo) answer arbitrarily: the paths after verification get fuzzed too.
   */
  idToken?: { issuer: string; audience: string; tokenEndpoint: string; jwksUri: string };
  /**
   * The config key of a claim map (`profileMap`): hostile maps under it (prototype paths,
   * 10,000-element lists, deep nesting) must be `invalid_config` before any request.
   */
  profileMapKey?: string;
};

/** What Logto passes to `getAuthorizationUri` (fixed: the fuzzing is in what comes back). */
const authorizationRequest = {
  state: 'fuzz-state',
  redirectUri: 'https://logto.example.com/callback/fuzz',
  connectorId: 'fuzz',
  connectorFactoryId: 'fuzz',
  jti: 'fuzz-jti',
  headers: {},
};

/** Logto's first step: the authorization URL, which fills a fresh session. */
const startSignIn = async (connector: SocialConnector) => {
  const session = createConnectorSession();
  await connector.getAuthorizationUri(authorizationRequest, session.setSession);
  return session;
};

/** Logto's sign-in: the authorization URL (which fills the session), then the callback. */
export const signInThrough = async (
  connector: SocialConnector,
  callbackData: unknown = { code: 'fuzz-code', state: 'fuzz-state' },
) => {
  const session = await startSignIn(connector);
  return connector.getUserInfo(callbackData as Record<string, unknown>, session.getSession);
};

/** A successful sign-in must give Logto what it accepts (connector-kit's guard). */
const expectValidUserInfo = (user: unknown) => {
  const result = socialUserInfoGuard.safeParse(user);
  expect(result.success, `the user info is not valid for Logto: ${JSON.stringify(user)}`).toBe(
    true,
  );
};

/** The refresh token Logto stored and passes to `getAccessTokenByRefreshToken`. */
const storedRefreshToken = 'fuzz-refresh-token-value';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** How a genuine ID token departs from the right one, and what the other URLs answer. */
type IdTokenShape = {
  nonce: boolean;
  audience: boolean;
  scope: string | undefined;
  consistentUserinfo: boolean;
};

const idTokenShape = (): fc.Arbitrary<IdTokenShape> =>
  fc.record({
    nonce: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, fc.constant(false)),
    audience: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, fc.constant(false)),
    scope: fc.option(fc.constantFrom('openid', 'openid email', 'openid profile email'), {
      nil: undefined,
    }),
    // Userinfo about the same subject, with arbitrary claims; or any answer at all.
    consistentUserinfo: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
  });

/** A token answer holding an ID token signed by `key` for `claims`, shaped by `shape`. */
const genuineTokenAnswer = async (
  signed: NonNullable<SocialFuzzOptions['idToken']>,
  key: SigningKey,
  claims: Record<string, unknown>,
  shape: IdTokenShape,
  nonce: unknown,
): Promise<ProviderAnswer> => {
  const now = Math.floor(Date.now() / 1000);
  const idToken = await new SignJWT({
    ...claims,
    iss: signed.issuer,
    aud: shape.audience ? signed.audience : 'another-client',
    iat: now,
    exp: now + 600,
    ...(shape.nonce && typeof nonce === 'string' && { nonce }),
  } as JWTPayload)
    .setProtectedHeader({ alg: 'RS256', kid: 'fuzz-key', typ: 'JWT' })
    .sign(key);
  return {
    status: 200,
    contentType: 'application/json',
    headers: {},
    body: JSON.stringify({
      access_token: fuzzTokens.accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      id_token: idToken,
      ...(shape.scope && { scope: shape.scope }),
    }),
  };
};

const jsonAnswer = (body: unknown): ProviderAnswer => ({
  status: 200,
  contentType: 'application/json',
  headers: {},
  body: JSON.stringify(body),
});

/** The four social properties: hostile callbacks, configs, provider answers, refresh answers. */
export const describeSocialConnectorFuzz = (options: SocialFuzzOptions) => {
  const provider = useFuzzedProvider(options.providerUrls);
  const issued = Object.values(fuzzTokens);
  /** Per URL, an answer that may echo `echo`: every secret the property checks for. */
  const answersFor = (urls: readonly string[], echo: readonly string[]) =>
    fc.record(Object.fromEntries(urls.map((url) => [url, providerAnswer(echo)]))) as fc.Arbitrary<
      Record<string, ProviderAnswer>
    >;
  const signInAnswers = answersFor(options.providerUrls, [...options.secrets, ...issued]);
  const refreshAnswers = answersFor(options.providerUrls, [
    ...options.secrets,
    ...issued,
    storedRefreshToken,
  ]);
  /** The secrets of a run, read after it: configured ones and the tokens the connector met. */
  const secretsOfRun = (configured: readonly string[]) => (): string[] => [
    ...configured,
    ...provider.tokensMet,
  ];
  const timeout = propertyTimeout(options);

  describe(`${options.connector} fuzzing`, () => {
    it('throws only secret-free ConnectorErrors for arbitrary provider answers', {
      timeout,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(signInAnswers, async (next) => {
          options.beforeEachRun?.();
          provider.answer(next);
          const connector = await options.create(options.validConfig);
          await expectOnlySafeConnectorErrors(
            async () => expectValidUserInfo(await signInThrough(connector)),
            secretsOfRun(options.secrets),
          );
        }),
        runParameters(options),
      );
      expect(provider.hits, 'no run reached the provider').toBeGreaterThan(0);
    });

    it('throws only secret-free ConnectorErrors for arbitrary refresh answers', {
      timeout,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(refreshAnswers, async (next) => {
          options.beforeEachRun?.();
          provider.answer(next);
          const connector = await options.create(options.validConfig);
          if (!connector.getAccessTokenByRefreshToken) {
            return;
          }
          await expectOnlySafeConnectorErrors(
            () => connector.getAccessTokenByRefreshToken!(storedRefreshToken),
            secretsOfRun([...options.secrets, storedRefreshToken]),
          );
        }),
        runParameters(options),
      );
      const connector = await options.create(options.validConfig);
      if (connector.getAccessTokenByRefreshToken) {
        expect(provider.hits, 'no run reached the provider').toBeGreaterThan(0);
      }
    });

    it('throws only secret-free ConnectorErrors for arbitrary getUserInfo data and sessions', {
      timeout,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          hostileValue(),
          fc.oneof(hostileValue(), fc.constant('signed-in')),
          signInAnswers,
          async (data, session, next) => {
            options.beforeEachRun?.();
            provider.answer(next);
            const connector = await options.create(options.validConfig);
            await expectOnlySafeConnectorErrors(
              () =>
                session === 'signed-in'
                  ? signInThrough(connector, data)
                  : connector.getUserInfo(
                      data as Record<string, unknown>,
                      async () => session as Record<string, unknown>,
                    ),
              secretsOfRun(options.secrets),
            );
          },
        ),
        runParameters(options),
      );
    });

    const signed = options.idToken;
    if (signed) {
      let keys: { privateKey: SigningKey; jwk: Record<string, unknown> };
      beforeAll(async () => {
        const pair = await generateKeyPair('RS256');
        keys = {
          privateKey: pair.privateKey,
          jwk: { ...(await exportJWK(pair.publicKey)), kid: 'fuzz-key', alg: 'RS256', use: 'sig' },
        };
      });
      const otherUrls = options.providerUrls.filter(
        (url) => url !== signed.tokenEndpoint && url !== signed.jwksUri,
      );
      const otherAnswers = answersFor(otherUrls, [...options.secrets, ...issued]);

      it('signs in or throws only secret-free ConnectorErrors for genuine ID tokens with arbitrary claims', {
        timeout,
      }, async () => {
        let signedIn = 0;
        await fc.assert(
          fc.asyncProperty(
            arbitraryClaims(),
            idTokenShape(),
            otherAnswers,
            arbitraryClaims(),
            async (claims, shape, arbitraryOthers, userinfoClaims) => {
              const others = shape.consistentUserinfo
                ? Object.fromEntries(
                    otherUrls.map((url) => [
                      url,
                      jsonAnswer({ ...userinfoClaims, sub: claims.sub }),
                    ]),
                  )
                : arbitraryOthers;
              options.beforeEachRun?.();
              let nonce: unknown;
              provider.answer({
                ...others,
                [signed.tokenEndpoint]: () =>
                  genuineTokenAnswer(signed, keys.privateKey, claims, shape, nonce),
                [signed.jwksUri]: jsonAnswer({ keys: [keys.jwk] }),
              });
              const connector = await options.create(options.validConfig);
              const session = await startSignIn(connector);
              nonce = session.current.nonce;
              let user: unknown;
              const error = await expectOnlySafeConnectorErrors(async () => {
                user = await connector.getUserInfo(
                  { code: 'fuzz-code', state: 'fuzz-state' },
                  session.getSession,
                );
              }, secretsOfRun(options.secrets));
              if (!error) {
                signedIn += 1;
                expectValidUserInfo(user);
              }
            },
          ),
          runParameters(options),
        );
        // Some runs must get through verification, or the claims were never looked at.
        expect(signedIn, 'no run signed in: the genuine tokens are not accepted').toBeGreaterThan(
          0,
        );
      });
    }

    const { profileMapKey } = options;
    if (profileMapKey) {
      it(`refuses a hostile ${profileMapKey} as invalid_config before any request`, {
        timeout,
      }, async () => {
        await fc.assert(
          fc.asyncProperty(hostileProfileMap(), async (profileMap) => {
            options.beforeEachRun?.();
            const requestsBefore = provider.hits;
            const config = { ...options.validConfig, [profileMapKey]: profileMap };
            const connector = await options.create(config);
            await expectConnectorError(startSignIn(connector), {
              code: ConnectorErrorCodes.InvalidConfig,
              secrets: options.secrets,
            });
            expect(provider.hits).toBe(requestsBefore);
          }),
          runParameters(options),
        );
      });
    }

    it('throws only secret-free ConnectorErrors for arbitrary configs', { timeout }, async () => {
      await fc.assert(
        fc.asyncProperty(configNear(options.validConfig), signInAnswers, async (config, next) => {
          options.beforeEachRun?.();
          provider.answer(next);
          await expectOnlySafeConnectorErrors(
            async () => {
              const connector = await options.create(config);
              return signInThrough(connector);
            },
            secretsOfRun(secretsStillIn(config, options.secrets)),
          );
        }),
        runParameters(options),
      );
    });
  });
};
