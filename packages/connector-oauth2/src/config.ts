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
  responseType: z.literal('code').default('code'),
  grantType: z.literal('authorization_code').default('authorization_code'),
  authorizationEndpoint: url,
  tokenEndpoint: url,
  userInfoEndpoint: url,
  clientId: z.string().min(1),
  clientSecret: z.string().optional(),
  tokenEndpointAuthMethod: clientAuthMethodGuard.default('client_secret_post'),
  clientSecretJwtSigningAlgorithm: clientSecretJwtAlgorithmGuard.default('HS256'),
  scope: z.string().optional(),
  /**
   * How the official connector read the token response. `json` forces JSON whatever the
   * Content-Type; `query-string` (the console's default) reads the body by its Content-Type, so a
   * JSON provider works with it too, and an unlabeled form body is still recognised.
   */
  tokenEndpointResponseType: z.enum(['query-string', 'json']).optional(),
  profileMap: profileMapGuard,
  /** Sent with the authorization request AND the token requests (official behaviour). */
  customConfig: parameterRecordGuard.optional(),

  // Additions.
  /** RFC 7636 PKCE S256. @default true */
  pkce: z.boolean().default(true),
  /** Extra authorization request parameters; cannot override state, redirect_uri, nonce, PKCE. */
  authorizationParameters: parameterRecordGuard.optional(),
  /** Extra token request parameters; cannot override code, redirect_uri, code_verifier... */
  tokenRequestParameters: parameterRecordGuard.optional(),
  /** @default 'GET' */
  userInfoEndpointMethod: z.enum(['GET', 'POST']).default('GET'),
  /** `private_key_jwt`: a PKCS#8 PEM or a private JWK (JSON). */
  clientPrivateKey: z.string().optional(),
  /** `private_key_jwt`: the key's `kid`. */
  clientKeyId: z.string().optional(),
  /** `private_key_jwt` signing algorithm. @default 'RS256' */
  clientPrivateKeySigningAlgorithm: privateKeyJwtAlgorithmGuard.optional(),
  /** Milliseconds for each call to the provider. @default 10000 */
  timeout: z.number().int().positive().max(60_000).optional(),
});

export type OAuth2Config = z.infer<typeof oauth2ConfigGuard>;
