import {
  authorizationCodeFlowConfigFields,
  clientSecretConfigFields,
  customConfigField,
  listableIdTokenAlgorithms,
  parameterRecordGuard,
  pkceModeGuard,
  privateKeyJwtConfigFields,
  profileMapGuard,
  requestedClaimsGuard,
  requestHeadersConfigFields,
  timeoutConfigField,
  tokenRequestParametersConfigField,
  userInfoEndpointMethodConfigField,
} from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: every key of `@logto/connector-oidc` with the same meaning, plus optional
 * additions. With `issuer` set, the endpoints and the JWKS come from discovery, so the official
 * connector's required endpoints and `idTokenVerificationConfig` became optional.
 */

const url = z.string().trim().url();

const openidScope = 'openid';
export const defaultScope = 'openid profile email';

/** OIDC Core §3.1.2.1: the scope MUST contain `openid` (the official connector added it too). */
export const ensureOpenidScope = (scope: string): string => {
  const scopes = scope.split(/[ +]/).filter(Boolean);
  return scopes.includes(openidScope) ? scopes.join(' ') : [...scopes, openidScope].join(' ');
};

/** `60`, `"60"`, `"60s"`, `"2m"`, `"1 hour"` (jose's spellings, which the official config took). */
export const parseSeconds = (value: string | number): number | undefined => {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
  const match =
    /^\s*(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)?\s*$/i.exec(
      value,
    );
  if (!match) {
    return undefined;
  }
  const amount = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase()[0];
  return amount * (unit === 'd' ? 86_400 : unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
};

const secondsGuard = z
  .union([z.string(), z.number()])
  .refine((value) => parseSeconds(value) !== undefined, 'must be seconds, like 60 or "60s"')
  .transform((value) => parseSeconds(value) as number);

/** The official connector passed this object to jose's `jwtVerify`; the same keys mean the same. */
export const idTokenVerificationConfigGuard = z
  .object({
    jwksUri: url.optional(),
    issuer: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /** Ignored as before: the audience is always the client id. */
    audience: z.union([z.string(), z.array(z.string())]).optional(),
    /**
     * The official key, passed to jose. Asymmetric algorithms as before; HS256/HS384/HS512 only
     * when listed here (OIDC Core §10.1: keyed with the client secret); `none` never.
     */
    algorithms: z
      .array(z.string())
      .optional()
      .refine(
        (algorithms) =>
          !algorithms ||
          algorithms.some((algorithm) => listableIdTokenAlgorithms.includes(algorithm)),
        `must name at least one of ${listableIdTokenAlgorithms.join(', ')} (never none)`,
      ),
    clockTolerance: secondsGuard.optional(),
    maxTokenAge: secondsGuard.optional(),
    /**
     * The official guard fixed this at process start (a bug); a stored JSON config cannot hold a
     * Date anyway. Accepted and ignored: the clock is read at every sign-in.
     */
    currentDate: z.unknown().optional(),
    crit: z.record(z.string(), z.boolean()).optional(),
    subject: z.string().optional(),
    typ: z.string().optional(),
  })
  .passthrough();

/** The official connector's camelCase names, sent snake-cased (`maxAge` -> `max_age`). */
export const authRequestOptionalConfigGuard = z
  .object({
    responseMode: z.string(),
    display: z.string(),
    prompt: z.string(),
    maxAge: z.union([z.string(), z.number()]),
    uiLocales: z.string(),
    idTokenHint: z.string(),
    loginHint: z.string(),
    acrValues: z.string(),
  })
  .partial();

export const oidcConfigGuard = z
  .object({
    ...authorizationCodeFlowConfigFields,
    /** Discovery (OpenID Connect Discovery 1.0): endpoints and JWKS from the issuer. */
    issuer: url.optional(),
    authorizationEndpoint: url.optional(),
    tokenEndpoint: url.optional(),
    /** Claims from here are merged into the ID token's (their `sub` must match). */
    userInfoEndpoint: url.optional(),
    clientId: z
      .string()
      .min(1)
      .describe('The client ID the provider issued; ID tokens must name it as their audience.'),
    ...clientSecretConfigFields,
    scope: z
      .string()
      .optional()
      .transform((scope) => ensureOpenidScope(scope?.trim() ? scope : defaultScope)),
    acceptStringTypedBooleanClaims: z.boolean().default(false),
    trustUnverifiedEmail: z.boolean().default(false),
    idTokenVerificationConfig: idTokenVerificationConfigGuard.optional(),
    /**
     * OIDC Core §3.1.3.7 item 3: an ID token listing an audience besides the client that the
     * client does not trust is rejected; the provider's own audiences can be listed here.
     */
    trustedAudiences: z
      .array(z.string().trim().min(1))
      .optional()
      .describe(
        'Audiences an ID token may name besides the client ID (a provider that adds its own API to `aud`). Any other extra audience is rejected (OIDC Core §3.1.3.7). Empty when unset.',
      ),
    authRequestOptionalConfig: authRequestOptionalConfigGuard.optional(),
    customConfig: customConfigField,

    // Additions.
    pkce: pkceModeGuard.describe(
      'PKCE (S256): `auto` follows `code_challenge_methods_supported` in the discovery document (none when it lists only other methods; S256 when it lists S256, or when there is no list or no discovery), `always`, or `never`. `true`/`false` mean `always`/`never`.',
    ),
    profileMap: profileMapGuard
      .optional()
      .describe(
        'Where the user fields are in the claims (ID token merged with user info), for a provider that does not use the standard ones: each of `id`, `email`, `phone`, `name`, `avatar`, `emailVerified`, `phoneVerified` a dot path (`data.attributes.email`, `emails[0].value`) or a list of fallback paths (`["email", "preferred_username", "upn"]`). Unmapped fields are read as without a map. A mapped email still needs `emailVerified` (or `email_verified`) true or `"true"`, unless `trustUnverifiedEmail`. Mapping `id` away from `sub` changes which account a person links to.',
      ),
    requestedClaims: requestedClaimsGuard
      .optional()
      .describe(
        'The OIDC `claims` request parameter (OIDC Core §5.5), as JSON: `{ "id_token": { "email": null }, "userinfo": { "email_verified": { "essential": true } } }`, for a provider that releases a claim only when asked for it by name.',
      ),
    authorizationParameters: parameterRecordGuard
      .optional()
      .describe(
        'Extra authorization request parameters, sent with the names as written (not snake-cased) and winning over `authRequestOptionalConfig` and `customConfig`. `state`, `nonce`, `redirect_uri`, `client_id`, `response_type` and the PKCE parameters cannot be overridden.',
      ),
    tokenRequestParameters: tokenRequestParametersConfigField,
    userInfoEndpointMethod: userInfoEndpointMethodConfigField(
      'The HTTP method of the user info request (OIDC Core §5.3.1 allows both). The access token is sent in the `Authorization` header either way.',
    ),
    ...requestHeadersConfigFields,
    /**
     * Whether to call the userinfo endpoint. Default: when one is configured or discovered.
     * `false` signs in from the ID token alone (one request to the provider per sign-in).
     */
    fetchUserInfo: z.boolean().optional(),
    ...privateKeyJwtConfigFields,
    /** Seconds a discovery document is trusted. @default 3600 */
    discoveryCacheSeconds: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "With `issuer`: seconds the provider's discovery document is kept in memory before it is fetched again. 3600 when unset.",
      ),
    timeout: timeoutConfigField(
      'Milliseconds each call to the provider (discovery, keys, token, user info) may take, retries included (at most 60000). 10000 when unset.',
    ),
  })
  .superRefine((config, context) => {
    if (config.issuer) {
      return;
    }
    const missing = (path: Array<string>, what: string) =>
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path,
        message: `Required without \`issuer\` (${what})`,
      });
    if (!config.authorizationEndpoint) {
      missing(['authorizationEndpoint'], 'set `issuer` to use discovery, or this endpoint');
    }
    if (!config.tokenEndpoint) {
      missing(['tokenEndpoint'], 'set `issuer` to use discovery, or this endpoint');
    }
    if (!config.idTokenVerificationConfig?.jwksUri) {
      missing(['idTokenVerificationConfig', 'jwksUri'], 'where the signing keys are');
    }
  });

export type OidcConfig = z.infer<typeof oidcConfigGuard>;
