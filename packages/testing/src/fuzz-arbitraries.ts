import { TemplateType } from '@logto/connector-kit';
import fc from 'fast-check';

/**
 * The arbitraries of the fuzz properties: hostile input, configs near a valid one, provider
 * answers (arbitrary, well-formed, and echoing secrets), ID token claims, email templates and
 * messages. Pure generators; nothing here touches the network.
 */

/**
 * The tokens a fuzzed provider issues in its well-formed token answers. Once a connector sends
 * one back to the provider (the access token to a userinfo endpoint, say) it has met it, and it
 * must keep it out of its errors like a configured secret.
 */
export const fuzzTokens = {
  accessToken: 'fuzz-issued-access-token-value',
  refreshToken: 'fuzz-issued-refresh-token-value',
} as const;

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

const jwtLike = fc
  .tuple(fc.base64String(), fc.base64String(), fc.base64String())
  .map((parts) => parts.map((part) => part.replace(/=+$/, '')).join('.'));

/** Token-response-shaped JSON with every field arbitrary (or plausibly typed). */
const tokenishBody = (echo: readonly string[]) =>
  fc
    .record(
      {
        access_token: fc.oneof(
          fc.constant(fuzzTokens.accessToken),
          fc.string(),
          fc.anything({ maxDepth: 1 }),
        ),
        token_type: fc.oneof(fc.constantFrom('Bearer', 'bearer', 'mac', ''), fc.anything()),
        expires_in: fc.oneof(fc.integer(), fc.string(), fc.double(), fc.constant(null)),
        refresh_token: fc.oneof(fc.constant(fuzzTokens.refreshToken), fc.string()),
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
const arbitraryAnswer = (echo: readonly string[]): fc.Arbitrary<ProviderAnswer> =>
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

/**
 * An RFC 6749 §5.1 token answer a connector accepts, issuing `fuzzTokens`: without it almost no
 * run would get past the token endpoint, and the tokens would never be met.
 */
const wellFormedTokenAnswer = (): fc.Arbitrary<ProviderAnswer> =>
  fc
    .record({
      tokenType: fc.constantFrom('Bearer', 'bearer'),
      refresh: fc.boolean(),
      scope: fc.option(fc.constantFrom('openid profile email', 'read:user user:email'), {
        nil: undefined,
      }),
    })
    .map(({ tokenType, refresh, scope }) => ({
      status: 200,
      contentType: 'application/json',
      headers: {},
      body: JSON.stringify({
        access_token: fuzzTokens.accessToken,
        token_type: tokenType,
        expires_in: 3600,
        ...(refresh && { refresh_token: fuzzTokens.refreshToken }),
        ...(scope && { scope }),
      }),
    }));

/**
 * An error answer (RFC 6749 §5.2 shape, or a profile API's `message`) that echoes every value of
 * `echo` at once, as a provider or proxy repeating what it was sent would.
 */
const echoingErrorAnswer = (echo: readonly string[]): fc.Arbitrary<ProviderAnswer> =>
  fc
    .record({
      status: fc.constantFrom(400, 403, 404, 422, 500, 503),
      field: fc.constantFrom('error_description', 'message', 'detail'),
      error: fc.constantFrom('invalid_grant', 'invalid_request', 'invalid_token', 'server_error'),
    })
    .map(({ status, field, error }) => ({
      status,
      contentType: 'application/json',
      headers: {},
      body: JSON.stringify({ error, [field]: `you sent ${echo.join(' and ')}` }),
    }));

/**
 * A provider's answer: mostly arbitrary; sometimes a well-formed token answer issuing
 * `fuzzTokens`, or an error echoing every value of `echo` (the secrets a property checks for).
 */
export const providerAnswer = (echo: readonly string[] = []): fc.Arbitrary<ProviderAnswer> =>
  fc.oneof(
    { weight: 5, arbitrary: arbitraryAnswer(echo) },
    { weight: 2, arbitrary: wellFormedTokenAnswer() },
    ...(echo.length > 0 ? [{ weight: 2, arbitrary: echoingErrorAnswer(echo) }] : []),
  );

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
export const arbitraryClaims = () =>
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

/** Template lists that usually hold a `Generic` template (every usage type falls back to it). */
export const templatesWithFallback = () =>
  fc
    .tuple(arbitraryTemplates(), fc.boolean(), fc.string({ maxLength: 200 }))
    .map(([templates, withGeneric, content]) =>
      withGeneric ? [...templates, { usageType: 'Generic', subject: 'Code', content }] : templates,
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

const profileMapTargets = [
  'id',
  'email',
  'phone',
  'name',
  'avatar',
  'emailVerified',
  'phoneVerified',
] as const;

const pathSegment = () => fc.stringMatching(/^[a-z_]{1,8}(\[\d{1,2}\])?$/);

/** A value nested `depth` levels deep in objects or arrays, built without recursion. */
const nestedValue = (depth: number, inArrays: boolean): unknown => {
  let value: unknown = 'email';
  for (let level = 0; level < depth; level += 1) {
    value = inArrays ? [value] : { nested: value };
  }
  return value;
};

/**
 * A `profileMap` no guard may accept (issue 18): a path through `__proto__`, `constructor` or
 * `prototype` (alone or among good fallbacks), a fallback list of up to 10,000 paths, objects or
 * arrays nested up to 3,000 levels, a path past the length limit, or one that is not a path.
 */
export const hostileProfileMap = (): fc.Arbitrary<Record<string, unknown>> => {
  const prototypePath = fc
    .tuple(
      fc.array(pathSegment(), { maxLength: 3 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', '__proto__[0]'),
      fc.array(pathSegment(), { maxLength: 3 }),
    )
    .map(([before, forbidden, after]) => [...before, forbidden, ...after].join('.'));
  const value = fc.oneof(
    prototypePath,
    fc
      .tuple(fc.array(pathSegment(), { minLength: 1, maxLength: 4 }), prototypePath)
      .map(([good, bad]) => [...good, bad]),
    fc
      .integer({ min: 11, max: 10_000 })
      .map((length) => Array.from({ length }, (_, index) => `claims.c${index}`)),
    fc
      .tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean())
      .map(([depth, inArrays]) => nestedValue(depth, inArrays)),
    fc.integer({ min: 201, max: 5000 }).map((length) => 'a'.repeat(length)),
    fc.constantFrom('', 'a..b', 'a[', '[0]', 'a[99999]', 'a.', '.a', 'a b.c]'),
  );
  return fc
    .tuple(fc.constantFrom(...profileMapTargets), value, fc.constantFrom('sub', undefined))
    .map(([target, hostile, id]) => ({ ...(id && target !== 'id' && { id }), [target]: hostile }));
};
