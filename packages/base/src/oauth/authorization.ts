/**
 * The authorization request (RFC 6749 §4.1.1). Parameters that carry the flow's security — the
 * state, the redirect URI, the nonce, the PKCE challenge — are set last and cannot be overridden by
 * the provider-specific or operator-configured extras.
 */

export const protectedAuthorizationParameters = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const;

/** Token request parameters the extras can never override either. */
export const protectedTokenParameters = [
  'grant_type',
  'code',
  'redirect_uri',
  'code_verifier',
  'refresh_token',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'state',
  'nonce',
] as const;

export type ParameterValues = Record<string, string | number | boolean | undefined | null>;

/**
 * `maxAge` -> `max_age`, `accessType` -> `access_type`. Logto's official OAuth and OIDC connectors
 * snake-cased every configured request parameter name, and stored configs rely on it.
 */
export const snakeCaseKey = (key: string): string =>
  key
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z\d]+)/g, '$1_$2')
    .replace(/[^A-Za-z\d]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();

export const snakeCaseKeys = <Value>(
  record: Record<string, Value> | undefined,
): Record<string, Value> =>
  Object.fromEntries(
    Object.entries(record ?? {}).map(([key, value]) => [snakeCaseKey(key), value]),
  );

/** Drops undefined/null values and the protected names from `extras`. */
export const withoutProtected = (
  extras: ParameterValues | undefined,
  protectedNames: readonly string[],
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(extras ?? {})
      .filter(
        ([name, value]) => value !== undefined && value !== null && !protectedNames.includes(name),
      )
      .map(([name, value]) => [name, String(value)]),
  );

export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  state: string;
  scope?: string;
  nonce?: string;
  codeChallenge?: string;
  /**
   * OIDC Core §3 / OAuth 2.0 Multiple Response Types: `code id_token` asks for the ID token in the
   * callback too (Apple's web flow, whose ID-token-only mode signs in with it). @default 'code'
   */
  responseType?: string;
  /** Provider-specific or operator-configured parameters (prompt, login_hint, access_type...). */
  extras?: ParameterValues;
};

/** Builds the URL to send the person to. Query parameters already on the endpoint are kept. */
export const buildAuthorizationUrl = (endpoint: string, request: AuthorizationRequest): string => {
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(
    withoutProtected(request.extras, protectedAuthorizationParameters),
  )) {
    url.searchParams.set(name, value);
  }
  if (request.scope !== undefined && request.scope.trim() !== '') {
    url.searchParams.set('scope', request.scope.trim());
  }
  url.searchParams.set('response_type', request.responseType ?? 'code');
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('state', request.state);
  if (request.nonce) {
    url.searchParams.set('nonce', request.nonce);
  }
  if (request.codeChallenge) {
    url.searchParams.set('code_challenge', request.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  } else {
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
  }
  return url.toString();
};
