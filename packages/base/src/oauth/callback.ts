import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError, oauthError, readOAuthError } from '../errors';

/**
 * The authorization response (RFC 6749 §4.1.2): what Logto hands `getUserInfo` from the callback's
 * query. Either a `code`, or an `error` (§4.1.2.1), and with RFC 9207 an `iss`.
 */

export type AuthorizationResponse = { code: string; iss?: string };

export type AuthorizationResponseOptions = {
  /** RFC 9207: when the callback carries `iss`, it must be this (mix-up attack defence). */
  expectedIssuer?: string | readonly string[];
  /** For messages. */
  providerName: string;
  /**
   * The provider's own reading of an error callback (Microsoft's AADSTS codes in
   * `error_description`): the error to throw, or `undefined` for the OAuth mapping.
   */
  readProviderError?: (fields: Record<string, unknown>) => ConnectorError | undefined;
};

export const parseAuthorizationResponse = (
  data: unknown,
  { expectedIssuer, providerName, readProviderError }: AuthorizationResponseOptions,
): AuthorizationResponse => {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      `The callback from ${providerName} carried no parameters`,
    );
  }
  const fields = data as Record<string, unknown>;
  const issuer = typeof fields.iss === 'string' ? fields.iss : undefined;
  if (issuer !== undefined && expectedIssuer !== undefined) {
    const allowed = typeof expectedIssuer === 'string' ? [expectedIssuer] : expectedIssuer;
    if (!allowed.includes(issuer)) {
      throw connectorError(
        ConnectorErrorCodes.General,
        `The callback names issuer ${issuer}, but this connector talks to ${allowed.join(' or ')} (RFC 9207); the response was not for this connector`,
        { iss: issuer },
      );
    }
  }
  const error = readOAuthError(fields);
  if (error) {
    throw readProviderError?.(fields) ?? oauthError(error, providerName);
  }
  if (typeof fields.code !== 'string' || fields.code.length === 0) {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      `The callback from ${providerName} has neither an authorization \`code\` nor an \`error\``,
    );
  }
  return { code: fields.code, ...(issuer !== undefined && { iss: issuer }) };
};
