import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { connectorError } from '../errors';
import { createHttpClient, defaultTimeoutMs } from '../http';
import type { NetworkOptions } from '../network';
import { asymmetricJwsAlgorithms } from './asymmetric-algorithms';

/**
 * ID token validation (OIDC Core §3.1.3.7): signature by a key of the provider's JWKS, `iss`, `aud`
 * (every audience trusted, and `azp` this client with several), `exp`/`iat` against the clock NOW
 * with a small skew, an allow-list of asymmetric algorithms (never `none`, never HMAC with a public
 * key), and the nonce required whenever one was sent.
 *
 * HMAC-signed ID tokens (OIDC Core §10.1: HS256 keyed with the client secret) are refused unless
 * the operator lists the algorithm; then the key is the client secret, and only for that
 * algorithm: the key set is never used as an HMAC key, so an HS256 token "signed" with the
 * provider's public key still fails.
 */

/** Asymmetric algorithms only: an HS256 token "signed" with the public key must not verify. */
export const defaultIdTokenAlgorithms: string[] = [...asymmetricJwsAlgorithms];

/** OIDC Core §10.1: accepted only when listed by the operator, keyed with the client secret. */
export const hmacIdTokenAlgorithms: readonly string[] = ['HS256', 'HS384', 'HS512'];

/** The algorithms an operator may list: every asymmetric one and the HMAC ones (opt-in). */
export const listableIdTokenAlgorithms: readonly string[] = [
  ...defaultIdTokenAlgorithms,
  ...hmacIdTokenAlgorithms,
];

export type JwksOptions = {
  timeoutMs?: number;
  /** How long a fetched JWKS is trusted without refetching. @default 10 minutes */
  cacheMaxAgeMs?: number;
  /** Minimum time between two fetches when an unknown `kid` shows up. @default 30 s */
  cooldownMs?: number;
  fetch?: typeof fetch;
  /** The connector's `network` group: the key set is fetched through the same proxy and roots. */
  network?: NetworkOptions;
};

/**
 * One remote JWKS per URI, shared by every sign-in of the process: fetched once, refetched on an
 * unknown `kid` (key rotation) at most once per cooldown.
 */
const jwksByUri = new Map<string, JWTVerifyGetKey>();

/**
 * jose's remote key set fetches through base's HTTP client, so a key download follows the error
 * table like any provider call (429 is `rate_limit_exceeded`, a body that is not a key set is
 * `invalid_response`, 1 MiB at most, a deadline, retries for this idempotent read). A key set is
 * public and its request carries no credential: a redirect within the same origin is followed,
 * one to another origin refused (`redirectPolicyOf`).
 */
const fetchThroughHttpClient = (timeoutMs: number, network?: NetworkOptions): typeof fetch => {
  const http = createHttpClient({ timeoutMs, ...(network && { network }) });
  return async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    const { body, text } = await http.request({ url, purpose: 'jwks', responseType: 'json' });
    if (!body || typeof body !== 'object' || !Array.isArray((body as { keys?: unknown }).keys)) {
      throw connectorError(
        ConnectorErrorCodes.InvalidResponse,
        `${new URL(url).host} sent a JSON Web Key Set without a \`keys\` array`,
        { provider: new URL(url).host, stage: 'jwks' },
      );
    }
    return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
  };
};

export const getRemoteJwks = (jwksUri: string, options: JwksOptions = {}): JWTVerifyGetKey => {
  const cacheKey = `${jwksUri}\n${options.timeoutMs ?? ''}\n${options.network ? JSON.stringify(options.network) : ''}`;
  let jwks = jwksByUri.get(cacheKey);
  if (!jwks) {
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    jwks = createRemoteJWKSet(new URL(jwksUri), {
      // jose's own timer only as a backstop: the HTTP client's deadline ends the call first.
      timeoutDuration: timeoutMs + 1000,
      cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
      cooldownDuration: options.cooldownMs ?? 30_000,
      [customFetch]: options.fetch ?? fetchThroughHttpClient(timeoutMs, options.network),
    });
    jwksByUri.set(cacheKey, jwks);
  }
  return jwks;
};

/** For tests: forget every cached JWKS. */
export const clearJwksCache = () => jwksByUri.clear();

export type IdTokenExpectations = {
  /** Allowed issuers (Google has two spellings). */
  issuer: string | readonly string[];
  /** The client id. */
  audience: string;
  /**
   * Other audiences an ID token may name next to the client (a provider that adds its own API).
   * Any audience not listed makes the token invalid (OIDC Core §3.1.3.7 item 3: "reject the ID
   * Token if it does not list the Client as a valid audience, or if it contains additional
   * audiences not trusted by the Client").
   */
  trustedAudiences?: readonly string[];
  /** The client secret: the HMAC key when `algorithms` lists HS256/HS384/HS512 (opt-in). */
  hmacSecret?: string;
  /** The nonce sent in the authorization request; when set, the token MUST carry it. */
  nonce?: string;
  /** Seconds of clock skew tolerated on `exp`, `iat` and `nbf`. @default 60 */
  clockToleranceSeconds?: number;
  /** With `max_age` sent, `auth_time` must be within it (OIDC Core §3.1.2.1). */
  maxAgeSeconds?: number;
  algorithms?: readonly string[];
  /** For messages. */
  providerName: string;
};

const invalid = (providerName: string, reason: string) =>
  connectorError(
    ConnectorErrorCodes.SocialIdTokenInvalid,
    `The ID token from ${providerName} was rejected: ${reason}`,
    { provider: providerName, stage: 'id_token' },
  );

const describeJoseError = (error: unknown): string => {
  if (error instanceof errors.JWTExpired) {
    return 'it has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `claim \`${error.claim}\` is not valid (${error.reason})`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return 'its signing algorithm is not allowed';
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'no key of the provider matches its `kid`';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'its signature does not verify';
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return 'it is not a well-formed signed JWT';
  }
  return error instanceof Error ? error.message : String(error);
};

/** Verifies an ID token and returns its claims, or throws `social_invalid_id_token`. */
export const verifyIdToken = async (
  idToken: string,
  keys: JWTVerifyGetKey,
  expectations: IdTokenExpectations,
): Promise<JWTPayload> => {
  const tolerance = expectations.clockToleranceSeconds ?? 60;
  const algorithms = [...(expectations.algorithms ?? defaultIdTokenAlgorithms)];
  const hmacListed = algorithms.some((algorithm) => hmacIdTokenAlgorithms.includes(algorithm));
  if (hmacListed && !expectations.hmacSecret) {
    throw connectorError(
      ConnectorErrorCodes.InvalidConfig,
      `HMAC-signed ID tokens (${algorithms.filter((algorithm) => hmacIdTokenAlgorithms.includes(algorithm)).join(', ')}) are allowed, but there is no client secret to verify them with; set \`clientSecret\` or remove the HMAC algorithms`,
      { provider: expectations.providerName, stage: 'id_token' },
    );
  }
  const hmacKey = expectations.hmacSecret
    ? new TextEncoder().encode(expectations.hmacSecret)
    : undefined;
  // jose checks `alg` against `algorithms` before asking for a key, so an HMAC key is only ever
  // handed out for a listed HMAC algorithm, and the key set only for the others.
  const keyFor: JWTVerifyGetKey = async (header, token) =>
    hmacKey && header.alg && hmacIdTokenAlgorithms.includes(header.alg)
      ? hmacKey
      : keys(header, token);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, hmacListed ? keyFor : keys, {
      issuer: expectations.issuer as string | string[],
      audience: expectations.audience,
      algorithms,
      clockTolerance: tolerance,
      requiredClaims: ['sub', 'iat', 'exp'],
    }));
  } catch (error: unknown) {
    // The key download's own error, already mapped by the HTTP client.
    if (error instanceof ConnectorError) {
      throw error;
    }
    if (error instanceof errors.JWKSTimeout) {
      throw connectorError(
        ConnectorErrorCodes.General,
        `The signing keys of ${expectations.providerName} could not be fetched in time`,
        { provider: expectations.providerName, stage: 'jwks' },
      );
    }
    if (
      error instanceof errors.JOSEError &&
      !(error instanceof errors.JWKSNoMatchingKey) &&
      // A key set that is not one (`{"keys": "..."}`, private keys) is the provider's fault,
      // not the token's.
      (error.code === 'ERR_JOSE_GENERIC' || error instanceof errors.JWKSInvalid)
    ) {
      throw connectorError(
        ConnectorErrorCodes.General,
        `The signing keys of ${expectations.providerName} could not be fetched: ${error.message}`,
        { provider: expectations.providerName, stage: 'jwks' },
        error,
      );
    }
    if (error instanceof TypeError || (error instanceof Error && error.name === 'AbortError')) {
      throw connectorError(
        ConnectorErrorCodes.General,
        `The signing keys of ${expectations.providerName} could not be fetched: ${error.message}`,
        { provider: expectations.providerName, stage: 'jwks' },
        error,
      );
    }
    throw invalid(expectations.providerName, describeJoseError(error));
  }

  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat === 'number' && payload.iat > now + tolerance) {
    throw invalid(expectations.providerName, 'it was issued in the future (`iat`)');
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1) {
    if (payload.azp !== expectations.audience) {
      throw invalid(
        expectations.providerName,
        'it has several audiences and `azp` is not this client',
      );
    }
    const trusted = new Set([expectations.audience, ...(expectations.trustedAudiences ?? [])]);
    const untrusted = payload.aud.filter((audience) => !trusted.has(audience));
    if (untrusted.length > 0) {
      throw invalid(
        expectations.providerName,
        `it is also meant for ${untrusted
          .slice(0, 3)
          .map((audience) => JSON.stringify(String(audience).slice(0, 80)))
          .join(
            ', ',
          )}, which this connector does not trust (list the provider's own audiences in \`trustedAudiences\`)`,
      );
    }
  }
  if (expectations.nonce !== undefined && payload.nonce !== expectations.nonce) {
    throw invalid(
      expectations.providerName,
      payload.nonce === undefined
        ? 'it carries no nonce although one was sent'
        : 'its nonce does not match this sign-in',
    );
  }
  if (expectations.maxAgeSeconds !== undefined) {
    const authTime = payload.auth_time;
    if (typeof authTime !== 'number' || authTime + expectations.maxAgeSeconds + tolerance < now) {
      throw invalid(expectations.providerName, '`auth_time` is missing or older than `max_age`');
    }
  }
  return payload;
};

/**
 * The ID token of a code-flow sign-in (OIDC Core §3.1.3.7): the token response must carry one, and
 * it is checked against the nonce this sign-in stored in its session. A session without a nonce
 * cannot vouch for any token, so that is a rejection too.
 */
export const verifyCodeFlowIdToken = async (
  tokens: { id_token?: string | undefined },
  session: { nonce?: string | undefined },
  keys: JWTVerifyGetKey,
  expectations: Omit<IdTokenExpectations, 'nonce'>,
): Promise<{ idToken: string; claims: JWTPayload }> => {
  const idToken = tokens.id_token;
  if (!idToken) {
    throw invalid(
      expectations.providerName,
      'the token response has no `id_token` (no ID token although `openid` was requested)',
    );
  }
  if (!session.nonce) {
    throw invalid(
      expectations.providerName,
      'the sign-in session holds no nonce to check it against; start the sign-in again',
    );
  }
  const claims = await verifyIdToken(idToken, keys, { ...expectations, nonce: session.nonce });
  return { idToken, claims };
};
