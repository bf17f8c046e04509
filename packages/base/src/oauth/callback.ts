import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError, oauthError, readOAuthError } from '../errors';

/**
 * The authorization response (RFC 6749 §4.1.2): what Logto hands `getUserInfo` from the callback's
 * query. Either a `code`, or an `error` (§4.1.2.1), and with RFC 9207 an `iss`.
 *
 * `state` is not compared here: Logto's experience app checks it against its own session before
 * it calls the connector, and strips it (the official connectors do not compare it either). A
 * callback without `state` is therefore accepted.
 */

export type AuthorizationResponse = { code: string; iss?: string };

export type AuthorizationResponseOptions = {
  /** RFC 9207: when the callback carries `iss`, it must be this (mix-up attack defence). */
  expectedIssuer?: string | readonly string[];
  /**
   * RFC 9207 §2.4: the provider said (discovery's
   * `authorization_response_iss_parameter_supported: true`) that every authorization response
   * carries `iss`, so a callback without one is refused.
   */
  issuerRequired?: boolean;
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
  { expectedIssuer, issuerRequired, providerName, readProviderError }: AuthorizationResponseOptions,
): AuthorizationResponse => {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      `The callback from ${providerName} carried no parameters`,
      { provider: providerName, stage: 'callback' },
    );
  }
  const fields = data as Record<string, unknown>;
  const mixUp = (reason: string) =>
    connectorError(
      ConnectorErrorCodes.General,
      `${reason} (RFC 9207); the response may not be for this connector, so it was not used`,
      { provider: providerName, stage: 'callback' },
    );
  // An `iss` that is not one string (an array from `?iss=a&iss=b`, an object) is not "absent".
  if (fields.iss !== undefined && typeof fields.iss !== 'string') {
    throw mixUp(`The callback from ${providerName} carries an \`iss\` that is not one string`);
  }
  const issuer = fields.iss;
  if (issuer === undefined && issuerRequired) {
    throw mixUp(
      `The callback carries no \`iss\`, but ${providerName} announces that its authorization responses always do`,
    );
  }
  if (issuer !== undefined && expectedIssuer !== undefined) {
    const allowed = typeof expectedIssuer === 'string' ? [expectedIssuer] : expectedIssuer;
    if (!allowed.includes(issuer)) {
      throw mixUp(
        `The callback names issuer ${issuer.slice(0, 200)}, but this connector talks to ${allowed.join(' or ')}`,
      );
    }
  }
  const error = readOAuthError(fields);
  if (error) {
    throw readProviderError?.(fields) ?? oauthError(error, providerName, { stage: 'callback' });
  }
  if (typeof fields.code !== 'string' || fields.code.length === 0) {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      `The callback from ${providerName} has neither an authorization \`code\` nor an \`error\``,
      { provider: providerName, stage: 'callback' },
    );
  }
  return { code: fields.code, ...(issuer !== undefined && { iss: issuer }) };
};
