import { ConnectorErrorCodes, type TokenResponse } from '@logto/connector-kit';
import { z } from 'zod';
import { formatZodError } from '../config';
import { connectorError } from '../errors';
import type { HttpClient, HttpRequest } from '../http';
import { type ParameterValues, protectedTokenParameters, withoutProtected } from './authorization';
import { authenticateClient, type ClientCredentials } from './client-auth';

/**
 * Token requests (RFC 6749 §4.1.3 code exchange, §6 refresh) and their responses (§5.1), read as
 * JSON or form by Content-Type, with `expires_in` as a number or a numeric string. `token_type`
 * must be Bearer (RFC 6750; any case, §5.1 says it is case insensitive): RFC 6749 §7.1 forbids
 * using a token whose type the client does not understand, so `mac` or `DPoP` is refused rather
 * than sent as `Authorization: mac <token>`. An absent `token_type` is read as Bearer, as before:
 * providers that omit it (some GitHub Enterprise versions, many in-house servers) issue bearer
 * tokens, and refusing them would break working configurations.
 *
 * The token endpoint never follows a redirect (see `redirectPolicyOf`): the request carries the
 * client's credentials, the code and the PKCE verifier.
 */

const tokenResponseGuard = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().optional(),
    expires_in: z
      .union([z.number(), z.string().regex(/^\s*\d+\s*$/, 'must be a number of seconds')])
      .optional()
      .transform((value) => (value === undefined ? undefined : Number(value))),
    refresh_token: z.string().optional(),
    id_token: z.string().optional(),
    scope: z.string().optional(),
  })
  .passthrough();

/** A token response with `token_type` defaulted and `expires_in` a number. */
export type TokenSet = TokenResponse & {
  access_token: string;
  token_type: string;
  expires_in?: number;
};

export type TokenEndpoint = {
  tokenEndpoint: string;
  client: ClientCredentials;
  /** Provider-specific or configured extras; they cannot override the grant's own parameters. */
  extraParameters?: ParameterValues;
  /** Force how the body is read (the official OAuth connector's `tokenEndpointResponseType`). */
  responseType?: 'json' | 'form';
  headers?: Record<string, string>;
  /** The provider's own error format (see `HttpRequest.readProviderError`). */
  readProviderError?: HttpRequest['readProviderError'];
};

/** RFC 6750: the one token type this client understands. */
const bearerTokenType = 'Bearer';

/** A token response (RFC 6749 §5.1) read strictly: the fields typed, only Bearer tokens. */
export const parseTokenResponse = (body: unknown, host: string): TokenSet => {
  const result = tokenResponseGuard.safeParse(body);
  if (!result.success) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `The token response from ${host} is not usable: ${formatZodError(result.error)}`,
      { provider: host, stage: 'token' },
    );
  }
  const { token_type, expires_in, ...rest } = result.data;
  if (token_type !== undefined && token_type.trim().toLowerCase() !== 'bearer') {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `The token response from ${host} has token type ${JSON.stringify(token_type.slice(0, 40))}; only Bearer tokens are understood, and RFC 6749 §7.1 forbids using a token of an unknown type`,
      { provider: host, stage: 'token' },
    );
  }
  return {
    ...rest,
    token_type: bearerTokenType,
    ...(expires_in !== undefined && { expires_in }),
  } as TokenSet;
};

const requestToken = async (
  http: HttpClient,
  endpoint: TokenEndpoint,
  grant: Record<string, string | undefined>,
): Promise<TokenSet> => {
  const authentication = await authenticateClient(endpoint.client, endpoint.tokenEndpoint);
  const response = await http.request({
    method: 'POST',
    url: endpoint.tokenEndpoint,
    purpose: 'token',
    headers: { ...endpoint.headers, ...authentication.headers },
    form: {
      ...withoutProtected(endpoint.extraParameters, protectedTokenParameters),
      ...authentication.form,
      ...grant,
    },
    ...(endpoint.responseType && { responseType: endpoint.responseType }),
    ...(endpoint.readProviderError && { readProviderError: endpoint.readProviderError }),
  });
  return parseTokenResponse(response.body, new URL(endpoint.tokenEndpoint).host);
};

export type CodeExchange = {
  code: string;
  redirectUri: string;
  /** RFC 7636 §4.5, when the authorization request carried a challenge. */
  codeVerifier?: string;
};

/** Exchanges an authorization code. Never retried: a code is single-use (RFC 6749 §4.1.2). */
export const exchangeAuthorizationCode = async (
  http: HttpClient,
  endpoint: TokenEndpoint,
  { code, redirectUri, codeVerifier }: CodeExchange,
): Promise<TokenSet> =>
  requestToken(http, endpoint, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: codeVerifier,
  });

/**
 * Refreshes an access token (RFC 6749 §6) with the same client authentication as the sign-in. The
 * provider may not rotate the refresh token (Google never does): the old one is kept then.
 */
export const refreshAccessToken = async (
  http: HttpClient,
  endpoint: TokenEndpoint,
  refreshToken: string,
  scope?: string,
): Promise<TokenSet> => {
  const tokens = await requestToken(http, endpoint, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    scope,
  });
  return { ...tokens, refresh_token: tokens.refresh_token ?? refreshToken };
};
