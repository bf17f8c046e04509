import {
  authorizationCodeFlowConfigFields,
  clientSecretConfigFields,
  customConfigField,
  parameterRecordGuard,
  pkceConfigField,
  privateKeyJwtConfigFields,
  profileMapGuard,
  profilePathsGuard,
  requestHeadersConfigFields,
  timeoutConfigField,
  tokenRequestParametersConfigField,
  userInfoEndpointMethodConfigField,
} from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: every key of `@logto/connector-oauth` with the same meaning, plus optional
 * additions. `clientSecret` became optional (public clients with PKCE, `private_key_jwt`).
 */

const url = z.string().trim().url();

/**
 * Where each profile field is in the profile response: a dot path (`data.user.id`,
 * `emails[0].value`) or an ordered list of fallback paths. Same defaults as the official
 * connector; `emailVerified` / `phoneVerified` are additions (see `trustUnverifiedEmail`).
 */
export const oauth2ProfileMapGuard = profileMapGuard
  .extend({
    id: profilePathsGuard.default('id'),
    email: profilePathsGuard.default('email'),
    phone: profilePathsGuard.default('phone'),
    name: profilePathsGuard.default('name'),
    avatar: profilePathsGuard.default('avatar'),
  })
  .default({});

export const oauth2ConfigGuard = z.object({
  ...authorizationCodeFlowConfigFields,
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
  ...clientSecretConfigFields,
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
  profileMap: oauth2ProfileMapGuard.describe(
    'Where the user fields are in the profile answer: each of `id`, `email`, `phone`, `name`, `avatar` a dot path (`data.user.id`, `emails[0].value`) or a list of fallback paths. With `emailVerified` (or `phoneVerified`) mapped, that field is returned only when the claim is true or `"true"`; without, as the official connector did.',
  ),
  trustUnverifiedEmail: z
    .boolean()
    .default(false)
    .describe(
      'Return the mapped email even when `profileMap.emailVerified` says it is not verified. Off: an unverified address someone else controls could be linked to an existing account.',
    ),
  customConfig: customConfigField,

  // Additions.
  pkce: pkceConfigField,
  /** Extra authorization request parameters; cannot override state, redirect_uri, nonce, PKCE. */
  authorizationParameters: parameterRecordGuard
    .optional()
    .describe(
      'Extra authorization request parameters, sent with the names as written (not snake-cased) and winning over `customConfig`. `state`, `redirect_uri`, `client_id`, `response_type` and the PKCE parameters cannot be overridden.',
    ),
  tokenRequestParameters: tokenRequestParametersConfigField,
  userInfoEndpointMethod: userInfoEndpointMethodConfigField(
    'The HTTP method of the user info request. The access token is sent in the `Authorization` header either way.',
  ),
  ...requestHeadersConfigFields,
  ...privateKeyJwtConfigFields,
  timeout: timeoutConfigField(
    'Milliseconds each call to the provider may take, retries included (at most 60000). 10000 when unset.',
  ),
});

export type OAuth2Config = z.infer<typeof oauth2ConfigGuard>;
