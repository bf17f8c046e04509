import { ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError } from '../errors';
import { excerptOf, type HttpClient } from '../http';

/**
 * A request to a userinfo endpoint (OIDC Core §5.3) or any OAuth 2.0 profile API, authorized with
 * the access token in the `Authorization` header (RFC 6750 §2.1), by GET or POST (OIDC Core §5.3.1
 * allows both). A 401 is `social_invalid_access_token`; a body that is not a JSON object is
 * `invalid_response`. The request never follows a redirect: it carries the access token (see
 * `redirectPolicyOf`).
 */

export type UserInfoRequest = {
  endpoint: string;
  accessToken: string;
  /** The token response's `token_type`; `Bearer` when absent or any spelling of bearer. */
  tokenType?: string;
  /** @default 'GET' */
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** For messages. */
  providerName: string;
};

/**
 * RFC 6750 §2.1: the scheme is `Bearer` (providers answer `bearer`, which is the same scheme). Any
 * other type is refused (RFC 6749 §7.1): the token response parser already refuses them, this is
 * for callers that got a token elsewhere.
 */
export const authorizationScheme = (tokenType: string | undefined): string => {
  if (!tokenType || tokenType.trim().toLowerCase() === 'bearer') {
    return 'Bearer';
  }
  throw connectorError(
    ConnectorErrorCodes.InvalidResponse,
    `The access token has type ${JSON.stringify(tokenType.slice(0, 40))}; only Bearer tokens are understood (RFC 6749 §7.1)`,
    { stage: 'userinfo' },
  );
};

export const requestUserInfo = async (
  http: HttpClient,
  request: UserInfoRequest,
): Promise<Record<string, unknown>> => {
  const method = request.method ?? 'GET';
  const response = await http.request({
    method,
    url: request.endpoint,
    purpose: 'userinfo',
    headers: {
      ...request.headers,
      authorization: `${authorizationScheme(request.tokenType)} ${request.accessToken}`,
    },
    // An empty form keeps the POST a well-formed form request (OIDC Core §5.3.1).
    ...(method === 'POST' && { form: {} }),
  });
  const { body } = response;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `The profile response of ${request.providerName} is not a JSON object: ${excerptOf(response.text, http.redactor) || '(empty body)'}`,
      { provider: request.providerName, status: response.status, stage: 'userinfo' },
    );
  }
  return body as Record<string, unknown>;
};
