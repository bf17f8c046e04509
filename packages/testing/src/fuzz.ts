import {
  ConnectorError,
  type EmailConnector,
  type SocialConnector,
  socialUserInfoGuard,
  TemplateType,
} from '@logto/connector-kit';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorSession } from './msw';

/**
 * Property-based tests every connector runs in a few lines: arbitrary configs, arbitrary
 * `getUserInfo` / `sendMessage` input, and (social connectors) arbitrary provider answers served
 * by msw at the provider's URLs. The invariant, always: the connector either succeeds or throws a
 * `ConnectorError` (Logto turns anything else into a 500), and no configured secret appears in
 * the error's message or data.
 */

export type FuzzBudget = {
  /** Runs per property. CI has two cores; every run may cost a few requests. @default 40 */
  numRuns?: number;
  /** Pin for a reproduction (fast-check prints the seed of a failure). */
  seed?: number;
};

/**
 * `FUZZ_SEED=<seed printed by a failure> FUZZ_PATH=<path>` replays a counterexample. On CI the
 * seed is fixed (a red build is then reproducible, never a fluke); locally every run explores.
 */
const ciSeed = 20_261_122;
const seedFromEnvironment = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.CI
    ? ciSeed
    : undefined;

const runParameters = (budget: FuzzBudget) => ({
  numRuns: budget.numRuns ?? 40,
  ...((budget.seed ?? seedFromEnvironment) !== undefined && {
    seed: budget.seed ?? seedFromEnvironment,
  }),
  ...(process.env.FUZZ_PATH && { path: process.env.FUZZ_PATH }),
  // A failing property shrinks to a small counterexample; keep it bounded on CI.
  endOnFailure: false,
  interruptAfterTimeLimit: 60_000,
});

/**
 * Calls `run` and checks the invariant: success, or a `ConnectorError` whose message and data
 * carry none of `secrets`. Returns the error, if any, for further checks.
 */
export const expectOnlySafeConnectorErrors = async (
  run: () => Promise<unknown>,
  secrets: readonly string[],
): Promise<ConnectorError | undefined> => {
  try {
    await run();
    return undefined;
  } catch (error: unknown) {
    expect(
      error,
      `a non-ConnectorError escaped: ${error instanceof Error ? error.stack : String(error)}`,
    ).toBeInstanceOf(ConnectorError);
    const connectorError = error as ConnectorError;
    let text = connectorError.message;
    try {
      text += ` ${JSON.stringify(connectorError.data) ?? ''}`;
    } catch (serializeError: unknown) {
      throw new Error(`the error's data cannot be serialized: ${String(serializeError)}`);
    }
    for (const secret of secrets) {
      expect(
        text.includes(secret),
        `${connectorError.code} carries the secret ${JSON.stringify(secret)}: ${text.slice(0, 500)}`,
      ).toBe(false);
    }
    return connectorError;
  }
};

/**
 * The secrets a mutated config still holds: a secret whose key was replaced is not configured
 * any more, so a provider echoing it is not a leak of this config.
 */
const secretsStillIn = (config: unknown, secrets: readonly string[]): string[] => {
  const text = JSON.stringify(config) ?? '';
  return secrets.filter((secret) => text.includes(JSON.stringify(secret).slice(1, -1)));
};

/** Anything a hostile or broken caller may pass where an object is expected. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.constantFrom(undefined, null, {}, [], '', 0, Number.NaN),
    fc.string({ unit: 'grapheme-composite', maxLength: 300 }),
  );

/**
 * Configs near `validConfig`: each key kept, dropped, or replaced by an arbitrary value (typed
 * like the original half of the time), plus unknown keys. Secrets that are kept must not leak.
 */
export const configNear = (
  validConfig: Record<string, unknown>,
  /** Keys never changed (an SMTP `host`: another one would be a DNS lookup, the real network). */
  fixedKeys: readonly string[] = [],
): fc.Arbitrary<Record<string, unknown>> => {
  const variants = Object.fromEntries(
    Object.entries(validConfig).map(([key, value]) => {
      if (fixedKeys.includes(key)) {
        return [key, fc.constant(value)];
      }
      const sameType =
        typeof value === 'string'
          ? fc.oneof(fc.string({ maxLength: 80 }), fc.webUrl(), fc.constant(''))
          : typeof value === 'number'
            ? fc.oneof(fc.integer(), fc.double())
            : typeof value === 'boolean'
              ? fc.boolean()
              : fc.anything({ maxDepth: 2 });
      return [
        key,
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(value) },
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: sameType },
          { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
        ),
      ];
    }),
  );
  return fc
    .tuple(
      fc.record(variants) as fc.Arbitrary<Record<string, unknown>>,
      fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 1 }), { maxKeys: 3 }),
    )
    .map(([known, extra]) => {
      const config: Record<string, unknown> = { ...extra };
      for (const [key, value] of Object.entries(known)) {
        if (value !== undefined) {
          config[key] = value;
        }
      }
      return config;
    });
};

export type ProviderAnswer = {
  status: number;
  contentType: string | undefined;
  body: string;
  headers: Record<string, string>;
};

type CryptoKeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const jwtLike = fc
  .tuple(fc.base64String(), fc.base64String(), fc.base64String())
  .map((parts) => parts.map((part) => part.replace(/=+$/, '')).join('.'));

/** Token-response-shaped JSON with every field arbitrary (or plausibly typed). */
const tokenishBody = (echo: readonly string[]) =>
  fc
    .record(
      {
        access_token: fc.oneof(fc.string(), fc.anything({ maxDepth: 1 })),
        token_type: fc.oneof(fc.constantFrom('Bearer', 'bearer', 'mac', ''), fc.anything()),
        expires_in: fc.oneof(fc.integer(), fc.string(), fc.double(), fc.constant(null)),
        refresh_token: fc.string(),
        id_token: fc.oneof(jwtLike, fc.string(), fc.anything({ maxDepth: 1 })),
        scope: fc.oneof(fc.string(), fc.constant('openid profile email')),
        error: fc.oneof(
          fc.constantFrom('invalid_grant', 'invalid_client', 'access_denied', 'slow_down'),
          fc.string(),
        ),
        // A provider (or proxy) that echoes what it was sent, secrets included.
        error_description: fc.oneof(fc.string(), fc.constantFrom(...echo, '')),
        sub: fc.oneof(fc.string(), fc.integer(), fc.anything({ maxDepth: 1 })),
        id: fc.oneof(fc.string(), fc.integer()),
        email: fc.oneof(fc.emailAddress(), fc.string(), fc.anything({ maxDepth: 1 })),
        email_verified: fc.oneof(fc.boolean(), fc.constantFrom('true', 'false'), fc.anything()),
        name: fc.anything({ maxDepth: 1 }),
        keys: fc.anything({ maxDepth: 2 }),
        issuer: fc.oneof(fc.webUrl(), fc.string()),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body));

/** An arbitrary HTTP answer: any status, content type, and body (JSON, form, HTML, junk). */
export const providerAnswer = (echo: readonly string[] = []): fc.Arbitrary<ProviderAnswer> =>
  fc.record({
    status: fc.oneof(
      { weight: 3, arbitrary: fc.constant(200) },
      { weight: 2, arbitrary: fc.constantFrom(201, 204, 301, 400, 401, 403, 404, 429, 500, 503) },
      { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
    ),
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'text/html',
      'text/plain',
      'application/jwt',
      undefined,
    ),
    body: fc.oneof(
      { weight: 4, arbitrary: tokenishBody(echo) },
      { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
      { weight: 1, arbitrary: fc.string({ maxLength: 500 }) },
      {
        weight: 1,
        arbitrary: fc
          .dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 40 }))
          .map((record) => new URLSearchParams(record).toString()),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom('', 'null', '[]', '{', '<html><body>oops</body></html>'),
      },
    ),
    headers: fc.record(
      { 'retry-after': fc.oneof(fc.nat().map(String), fc.string({ maxLength: 20 })) },
      { requiredKeys: [] },
    ),
  });

const answerWith = ({ status, contentType, body, headers }: ProviderAnswer) =>
  new HttpResponse(status === 204 || status === 304 ? null : body, {
    // Redirects without a Location are just odd statuses to fetch; with `manual` they do not follow.
    status,
    headers: { ...headers, ...(contentType && { 'content-type': contentType }) },
  });

/**
 * msw for a fuzz file: every request to a listed URL gets the current run's arbitrary answer,
 * every other request a network error (never the real network, and no unhandled-request noise).
 */
/** An answer, or one computed when the request comes (an ID token signed for the run's nonce). */
export type FuzzAnswer = ProviderAnswer | (() => Promise<ProviderAnswer>);

export const useFuzzedProvider = (urls: readonly string[]) => {
  const answers = new Map<string, FuzzAnswer>();
  let hits = 0;
  const server = setupServer(
    ...urls.map((url) =>
      http.all(url, async () => {
        hits += 1;
        const answer = answers.get(url);
        if (!answer) {
          return HttpResponse.error();
        }
        return answerWith(typeof answer === 'function' ? await answer() : answer);
      }),
    ),
    http.all('*', () => HttpResponse.error()),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  return {
    server,
    /** Requests the listed URLs received so far (a fuzz run that never reaches them tests nothing). */
    get hits() {
      return hits;
    },
    /** The answers of the current run, by URL; unset URLs fail at the network. */
    answer(next: Record<string, FuzzAnswer>) {
      answers.clear();
      for (const [url, answer] of Object.entries(next)) {
        answers.set(url, answer);
      }
    },
  };
};

/** Logto's sign-in: the authorization URL (which fills the session), then the callback. */
export const signInThrough = async (
  connector: SocialConnector,
  callbackData: unknown = { code: 'fuzz-code', state: 'fuzz-state' },
) => {
  const session = createConnectorSession();
  await connector.getAuthorizationUri(
    {
      state: 'fuzz-state',
      redirectUri: 'https://logto.example.com/callback/fuzz',
      connectorId: 'fuzz',
      connectorFactoryId: 'fuzz',
      jti: 'fuzz-jti',
      headers: {},
    },
    session.setSession,
  );
  return connector.getUserInfo(callbackData as Record<string, unknown>, session.getSession);
};

export type SocialFuzzOptions = FuzzBudget & {
  connector: string;
  /** Creates the connector for a config (the default export, or its configurable twin). */
  create: (config: unknown) => Promise<SocialConnector>;
  validConfig: Record<string, unknown>;
  /** Values that must never appear in an error: client secrets, private keys, the refresh token. */
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
};

const claimValue = () =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.emailAddress(),
    fc.webUrl(),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom('true', 'false', '', null),
    fc.anything({ maxDepth: 2 }),
  );

/** ID token claims: the usual ones with arbitrary values, and arbitrary extras. */
const arbitraryClaims = () =>
  fc
    .tuple(
      fc.record(
        {
          sub: fc.oneof(
            { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
            claimValue(),
          ),
          email: claimValue(),
          email_verified: claimValue(),
          phone_number: claimValue(),
          phone_number_verified: claimValue(),
          name: claimValue(),
          given_name: claimValue(),
          family_name: claimValue(),
          picture: claimValue(),
          locale: claimValue(),
          hd: claimValue(),
          auth_time: claimValue(),
          azp: claimValue(),
          preferred_username: claimValue(),
        },
        { requiredKeys: ['sub'] },
      ),
      fc.dictionary(fc.string({ maxLength: 12 }), claimValue(), { maxKeys: 4 }),
    )
    .map(([known, extra]) => ({ ...extra, ...known }));

/** A successful sign-in must give Logto what it accepts (connector-kit's guard). */
const expectValidUserInfo = (user: unknown) => {
  const result = socialUserInfoGuard.safeParse(user);
  expect(result.success, `the user info is not valid for Logto: ${JSON.stringify(user)}`).toBe(
    true,
  );
};

/** The four social properties: hostile callbacks, configs, provider answers, refresh answers. */
export const describeSocialConnectorFuzz = (options: SocialFuzzOptions) => {
  const provider = useFuzzedProvider(options.providerUrls);
  const refreshToken = 'fuzz-refresh-token-value';
  const secrets = [...options.secrets, refreshToken];
  const answers = fc.record(
    Object.fromEntries(options.providerUrls.map((url) => [url, providerAnswer(options.secrets)])),
  ) as fc.Arbitrary<Record<string, ProviderAnswer>>;
  const timeout = (options.numRuns ?? 40) * 1000 + 30_000;

  describe(`${options.connector} fuzzing`, () => {
    it('throws only secret-free ConnectorErrors for arbitrary provider answers', {
      timeout,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(answers, async (next) => {
          options.beforeEachRun?.();
          provider.answer(next);
          const connector = await options.create(options.validConfig);
          await expectOnlySafeConnectorErrors(
            async () => expectValidUserInfo(await signInThrough(connector)),
            secrets,
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
        fc.asyncProperty(answers, async (next) => {
          options.beforeEachRun?.();
          provider.answer(next);
          const connector = await options.create(options.validConfig);
          if (!connector.getAccessTokenByRefreshToken) {
            return;
          }
          await expectOnlySafeConnectorErrors(
            () => connector.getAccessTokenByRefreshToken!(refreshToken),
            secrets,
          );
        }),
        runParameters(options),
      );
      expect(provider.hits, 'no run reached the provider').toBeGreaterThan(0);
    });

    it('throws only secret-free ConnectorErrors for arbitrary getUserInfo data and sessions', {
      timeout,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          hostileValue(),
          fc.oneof(hostileValue(), fc.constant('signed-in')),
          answers,
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
              secrets,
            );
          },
        ),
        runParameters(options),
      );
    });

    const signed = options.idToken;
    if (signed) {
      let keys: { privateKey: CryptoKeyLike; jwk: Record<string, unknown> };
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
      const otherAnswers = fc.record(
        Object.fromEntries(otherUrls.map((url) => [url, providerAnswer(options.secrets)])),
      ) as fc.Arbitrary<Record<string, ProviderAnswer>>;

      it('signs in or throws only secret-free ConnectorErrors for genuine ID tokens with arbitrary claims', {
        timeout,
      }, async () => {
        let signedIn = 0;
        await fc.assert(
          fc.asyncProperty(
            arbitraryClaims(),
            fc.record({
              nonce: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, fc.constant(false)),
              audience: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, fc.constant(false)),
              scope: fc.option(fc.constantFrom('openid', 'openid email', 'openid profile email'), {
                nil: undefined,
              }),
              // Userinfo about the same subject, with arbitrary claims; or any answer at all.
              consistentUserinfo: fc.oneof(
                { weight: 3, arbitrary: fc.constant(true) },
                fc.constant(false),
              ),
            }),
            otherAnswers,
            arbitraryClaims(),
            async (claims, shape, arbitraryOthers, userinfoClaims) => {
              const others = shape.consistentUserinfo
                ? Object.fromEntries(
                    otherUrls.map((url) => [
                      url,
                      {
                        status: 200,
                        contentType: 'application/json',
                        headers: {},
                        body: JSON.stringify({ ...userinfoClaims, sub: claims.sub }),
                      } satisfies ProviderAnswer,
                    ]),
                  )
                : arbitraryOthers;
              options.beforeEachRun?.();
              let nonce: unknown;
              const token = async (): Promise<ProviderAnswer> => {
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
                  .sign(keys.privateKey);
                return {
                  status: 200,
                  contentType: 'application/json',
                  headers: {},
                  body: JSON.stringify({
                    access_token: 'fuzz-access-token',
                    token_type: 'Bearer',
                    expires_in: 3600,
                    id_token: idToken,
                    ...(shape.scope && { scope: shape.scope }),
                  }),
                };
              };
              provider.answer({
                ...others,
                [signed.tokenEndpoint]: token,
                [signed.jwksUri]: {
                  status: 200,
                  contentType: 'application/json',
                  headers: {},
                  body: JSON.stringify({ keys: [keys.jwk] }),
                },
              });
              const connector = await options.create(options.validConfig);
              const session = createConnectorSession();
              await connector.getAuthorizationUri(
                {
                  state: 'fuzz-state',
                  redirectUri: 'https://logto.example.com/callback/fuzz',
                  connectorId: 'fuzz',
                  connectorFactoryId: 'fuzz',
                  jti: 'fuzz-jti',
                  headers: {},
                },
                session.setSession,
              );
              nonce = session.current.nonce;
              let user: unknown;
              const error = await expectOnlySafeConnectorErrors(async () => {
                user = await connector.getUserInfo(
                  { code: 'fuzz-code', state: 'fuzz-state' },
                  session.getSession,
                );
              }, secrets);
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

    it('throws only secret-free ConnectorErrors for arbitrary configs', { timeout }, async () => {
      await fc.assert(
        fc.asyncProperty(configNear(options.validConfig), answers, async (config, next) => {
          options.beforeEachRun?.();
          provider.answer(next);
          await expectOnlySafeConnectorErrors(async () => {
            const connector = await options.create(config);
            return signInThrough(connector);
          }, [...secretsStillIn(config, options.secrets), refreshToken]);
        }),
        runParameters(options),
      );
    });
  });
};

/** Templates: arbitrary usage types, subjects and contents full of handlebars and markup. */
export const arbitraryTemplates = () =>
  fc.array(
    fc.record(
      {
        usageType: fc.oneof(fc.constantFrom(...Object.values(TemplateType)), fc.string()),
        subject: fc.oneof(fc.string(), fc.constant('{{code}} is your code')),
        content: fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.constantFrom(
            '<p>{{code}}</p>',
            '{{{code}}} {{ code }} {{#if code}}x{{/if}} {{link}} {{locale}}',
            '{{code',
            '}}{{',
            '{{__proto__}} {{constructor}}',
          ),
        ),
        contentType: fc.constantFrom('text/html', 'text/plain', 'application/x-unknown'),
        replyTo: fc.oneof(fc.emailAddress(), fc.string()),
      },
      { requiredKeys: ['usageType', 'subject', 'content'] },
    ),
    { maxLength: 6 },
  );

/** `sendMessage` input: recipients with CR/LF, several addresses, payloads of anything. */
export const arbitraryEmailData = () =>
  fc.record({
    to: fc.oneof(
      { weight: 4, arbitrary: fc.emailAddress() },
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        'a@example.com\r\nBcc: victim@example.com',
        'a@example.com, b@example.com',
        '"Ada" <ada@example.com>',
        '',
      ),
      fc.anything({ maxDepth: 1 }),
    ),
    type: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...Object.values(TemplateType)) },
      fc.string(),
      fc.anything(),
    ),
    payload: fc.oneof(
      fc.record(
        {
          code: fc.oneof(fc.string(), fc.integer(), fc.constant('<script>x</script>')),
          link: fc.oneof(fc.webUrl(), fc.string()),
          locale: fc.oneof(fc.constantFrom('en', 'zh-CN', 'fr'), fc.string()),
        },
        { requiredKeys: [] },
      ),
      fc.anything({ maxDepth: 2 }),
    ),
  });

/** Template lists that usually hold a `Generic` template (every usage type falls back to it). */
const templatesWithFallback = () =>
  fc
    .tuple(arbitraryTemplates(), fc.boolean(), fc.string({ maxLength: 200 }))
    .map(([templates, withGeneric, content]) =>
      withGeneric ? [...templates, { usageType: 'Generic', subject: 'Code', content }] : templates,
    );

export type EmailFuzzOptions = FuzzBudget & {
  connector: string;
  create: (config: unknown) => Promise<EmailConnector>;
  /** A config that delivers (to a local sink or an msw-served API); a function when it needs a port. */
  validConfig: () => Record<string, unknown>;
  secrets: string[];
  /** The config key holding the templates. @default 'templates' */
  templatesKey?: string;
  /** Config keys the config property never changes (see `configNear`). */
  fixedConfigKeys?: string[];
  /** An HTTP API's URLs (Aliyun DM): each run answers them arbitrarily, through msw. */
  providerUrls?: string[];
  beforeEachRun?: () => void;
};

export const describeEmailConnectorFuzz = (options: EmailFuzzOptions) => {
  const templatesKey = options.templatesKey ?? 'templates';
  const timeout = (options.numRuns ?? 40) * 1000 + 30_000;
  const urls = options.providerUrls ?? [];
  const provider = urls.length > 0 ? useFuzzedProvider(urls) : undefined;
  const answers = fc.record(
    Object.fromEntries(urls.map((url) => [url, providerAnswer(options.secrets)])),
  ) as fc.Arbitrary<Record<string, ProviderAnswer>>;

  describe(`${options.connector} fuzzing`, () => {
    it('throws only secret-free ConnectorErrors for arbitrary messages and templates', {
      timeout,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          arbitraryEmailData(),
          templatesWithFallback(),
          fc.boolean(),
          answers,
          async (data, templates, asTestConfig, next) => {
            options.beforeEachRun?.();
            provider?.answer(next);
            const config = { ...options.validConfig(), [templatesKey]: templates };
            await expectOnlySafeConnectorErrors(async () => {
              const connector = await options.create(config);
              return connector.sendMessage(
                data as Parameters<EmailConnector['sendMessage']>[0],
                // Logto's console "test" button passes the config being edited.
                asTestConfig ? config : undefined,
              );
            }, options.secrets);
          },
        ),
        runParameters(options),
      );
      if (provider) {
        expect(provider.hits, 'no run reached the provider').toBeGreaterThan(0);
      }
    });

    it('throws only secret-free ConnectorErrors for arbitrary configs', { timeout }, async () => {
      await fc.assert(
        fc.asyncProperty(
          configNear(options.validConfig(), options.fixedConfigKeys),
          arbitraryEmailData(),
          answers,
          async (config, data, next) => {
            options.beforeEachRun?.();
            provider?.answer(next);
            await expectOnlySafeConnectorErrors(
              async () => {
                const connector = await options.create(config);
                return connector.sendMessage(data as Parameters<EmailConnector['sendMessage']>[0]);
              },
              secretsStillIn(config, options.secrets),
            );
          },
        ),
        runParameters(options),
      );
    });
  });
};
