import { connectorError } from '@idplug/base';
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

/**
 * Facebook's error object (https://developers.facebook.com/docs/graph-api/guides/error-handling):
 * `{ error: { message, type, code, error_subcode, fbtrace_id } }`, on the Graph API and on the
 * token endpoint alike.
 */

type FacebookErrorFields = {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
};

const errorFieldsOf = (body: unknown): FacebookErrorFields | undefined => {
  const error = (body as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object' || Array.isArray(error)) {
    return undefined;
  }
  const { message, type, code, error_subcode } = error as Record<string, unknown>;
  return {
    ...(typeof message === 'string' && { message: message.slice(0, 200) }),
    ...(typeof type === 'string' && { type }),
    ...(typeof code === 'number' && { code }),
    ...(typeof error_subcode === 'number' && { error_subcode }),
  };
};

/** 4 app, 17 user, 32 page, 613 custom rate limits. */
const rateLimitCodes = new Set([4, 17, 32, 613]);
/** 36007: the code has expired; 36009: it has been used (code 100, OAuthException). */
const authCodeSubcodes = new Set([36007, 36009]);

const codeOf = (fields: FacebookErrorFields): ConnectorErrorCodes => {
  const { code, error_subcode: subcode, message = '' } = fields;
  if (code === 190) {
    return ConnectorErrorCodes.SocialAccessTokenInvalid;
  }
  if (code !== undefined && rateLimitCodes.has(code)) {
    return ConnectorErrorCodes.RateLimitExceeded;
  }
  if (
    (subcode !== undefined && authCodeSubcodes.has(subcode)) ||
    /authorization code has (expired|been used)|verification code/i.test(message)
  ) {
    return ConnectorErrorCodes.SocialAuthCodeInvalid;
  }
  // 1/101: a wrong App Secret or App ID; appsecret_proof missing (the app requires it) or invalid.
  if (code === 1 || code === 101 || /client secret|application id|appsecret_proof/i.test(message)) {
    return ConnectorErrorCodes.InvalidConfig;
  }
  return ConnectorErrorCodes.General;
};

export const readFacebookError = (
  body: unknown,
  response?: { status: number },
): ConnectorError | undefined => {
  const fields = errorFieldsOf(body);
  if (!fields) {
    return undefined;
  }
  const code = codeOf(fields);
  return connectorError(
    code,
    `Facebook answered ${fields.type ?? 'an error'} ${fields.code ?? ''}${fields.message ? `: ${fields.message}` : ''}`.replace(
      /\s+/g,
      ' ',
    ),
    {
      provider: 'Facebook',
      ...(response && { status: response.status }),
      ...(fields.code !== undefined && { providerCode: String(fields.code) }),
      ...(fields.error_subcode !== undefined && { hint: `error_subcode ${fields.error_subcode}` }),
      ...(code === ConnectorErrorCodes.InvalidConfig &&
        /appsecret_proof/i.test(fields.message ?? '') && {
          hint: 'The app requires appsecret_proof: keep `appSecretProof` on and the App Secret current',
        }),
    },
  );
};
