import {
  clientAuthMethodGuard,
  clientSecretJwtAlgorithmGuard,
  privateKeyJwtAlgorithmGuard,
} from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: every key of `@logto/connector-oauth` with the same meaning, plus optional
 * additions. `clientSecret` became optional (public clients with PKCE, `private_key_jwt`).
 */

const url = z.string().trim().url();

/** Extra request parameters: strings as before, numbers and booleans accepted as their text. */
export const parameterRecordGuard = z.record(z.union([z.string(), z.number(), z.boolean()]));

/**
 * Where each profile field is in the profile response, as a dot path (`data.user.id`). Same
 * defaults as the official connector.
 */
export const profileMapGuard = z
  .object({
    id: z.string().min(1).default('id'),
    email: z.string().min(1).default('email'),
    phone: z.string().min(1).default('phone'),
    name: z.string().min(1).default('name'),
    avatar: z.string().min(1).default('avatar'),
  })
  .default({});

export const oauth2ConfigGuard = z.object({
  // Fixed by the official guard; accepted for stored configs, nothing else is possible.
  responseType: z
    .literal('code')
    .default('code')
    .describe(
      'Always `code` (the authorization code flow). Accepted so that configurations stored by the official connector keep working.',
    ),
  grantType: z
    .literal('authorization_code')
    .default('authorization_code')
    .describe(
      'Always `authorization_code`. Accepted so that configurations stored by the official connector keep working.',
    ),
  authorizationEndpoint: url.describe(
    "The provider's authorization endpoint, where the person signs in and consents.",
  ),
  tokenEndpoint: url.describe(
    "The provider's token endpoint, where the code is exchanged (and access tokens refreshed).",
  ),
  userInfoEndpoint: url.describe(
    'The profile API, called with the access token; `profileMap` reads the user from its JSON answer.',
  ),
  clientId: z.string().min(1).describe('The client ID the provider issued.'),
  clientSecret: z
    .string()
    .optional()
    .describe(
      'The client secret; needed by the `client_secret_*` methods, not by `private_key_jwt` or `none`. Never appears in an error.',
    ),
  tokenEndpointAuthMethod: clientAuthMethodGuard.default('client_secret_post'),
  clientSecretJwtSigningAlgorithm: clientSecretJwtAlgorithmGuard.default('HS256'),
  scope: z
    .string()
    .optional()
    .describe(
      'Space-separated scopes. Empty: no `scope` parameter is sent. A `scope` in `customConfig`, or in the sign-in request itself, replaces it.',
    ),
  /**
   * How the official connector read the token response. `json` forces JSON whatever the
   * Content-Type; `query-string` (the console's default) reads the body by its Content-Type, so a
   * JSON provider works with it too, and an unlabeled form body is still recognised.
   */
  tokenEndpointResponseType: z
    .enum(['query-string', 'json'])
    .optional()
    .describe(
      'How the token response is read. `json` always parses JSON; `query-string` or unset reads it by its Content-Type, so a JSON or a form-encoded answer both work.',
    ),
  profileMap: profileMapGuard,
  /** Sent with the authorization request AND the token requests (official behaviour). */
  customConfig: parameterRecordGuard.optional(),

  // Additions.
  /** RFC 7636 PKCE S256. @default true */
  pkce: z.boolean().default(true),
  /** Extra authorization request parameters; cannot override state, redirect_uri, nonce, PKCE. */
  authorizationParameters: parameterRecordGuard
    .optional()
    .describe(
      'Extra authorization request parameters, sent with the names as written (not snake-cased) and winning over `customConfig`. `state`, `redirect_uri`, `client_id`, `response_type` and the PKCE parameters cannot be overridden.',
    ),
  /** Extra token request parameters; cannot override code, redirect_uri, code_verifier... */
  tokenRequestParameters: parameterRecordGuard
    .optional()
    .describe(
      'Extra token request parameters (code exchange and refresh), sent with the names as written and winning over `customConfig`. The grant, code, redirect URI, PKCE verifier and client credentials cannot be overridden.',
    ),
  /** @default 'GET' */
  userInfoEndpointMethod: z
    .enum(['GET', 'POST'])
    .default('GET')
    .describe(
      'The HTTP method of the user info request. The access token is sent in the `Authorization` header either way.',
    ),
  /** `private_key_jwt`: a PKCS#8 PEM or a private JWK (JSON). */
  clientPrivateKey: z.string().optional(),
  /** `private_key_jwt`: the key's `kid`. */
  clientKeyId: z.string().optional(),
  /** `private_key_jwt` signing algorithm. @default 'RS256' */
  clientPrivateKeySigningAlgorithm: privateKeyJwtAlgorithmGuard
    .optional()
    .describe(
      'For `private_key_jwt`: the algorithm of the client assertion, matching the key type (RS*/PS* for RSA, ES* for EC, EdDSA for Ed25519). `RS256` when unset.',
    ),
  /** Milliseconds for each call to the provider. @default 10000 */
  timeout: z
    .number()
    .int()
    .positive()
    .max(60_000)
    .optional()
    .describe(
      'Milliseconds each call to the provider may take, retries included (at most 60000). 10000 when unset.',
    ),
});

export type OAuth2Config = z.infer<typeof oauth2ConfigGuard>;
