import { connectorError } from '@idplug/base';
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

/**
 * Microsoft's error table. The OAuth `error` alone says too little (`invalid_grant` is an expired
 * code, but also a person outside the tenant); the AADSTS code says what happened. It comes in
 * `error_codes` and at the start of `error_description` ("AADSTS70008: ...").
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */

type Row = { code: ConnectorErrorCodes; hint?: string };

const rows: Readonly<Record<string, Row>> = {
  // The code expired, or was already redeemed.
  AADSTS70008: { code: ConnectorErrorCodes.SocialAuthCodeInvalid },
  AADSTS54005: { code: ConnectorErrorCodes.SocialAuthCodeInvalid },
  // The app registration and the connector's config disagree.
  AADSTS7000215: {
    code: ConnectorErrorCodes.InvalidConfig,
    hint: "Set `clientSecret` to the client secret's Value (shown once when it is created), not its Secret ID",
  },
  AADSTS7000222: {
    code: ConnectorErrorCodes.InvalidConfig,
    hint: 'The client secret has expired: create a new one under Certificates & secrets',
  },
  AADSTS700016: {
    code: ConnectorErrorCodes.InvalidConfig,
    hint: '`clientId` is not an app of this tenant: check `clientId` and `tenantId`',
  },
  AADSTS50011: {
    code: ConnectorErrorCodes.InvalidConfig,
    hint: "Add Logto's callback URL to the app registration's Web redirect URIs",
  },
  AADSTS90002: {
    code: ConnectorErrorCodes.InvalidConfig,
    hint: '`tenantId` names no Microsoft Entra tenant',
  },
  // The person may not use this app: another tenant, not assigned, or no consent.
  AADSTS50020: { code: ConnectorErrorCodes.AuthorizationFailed },
  AADSTS50105: { code: ConnectorErrorCodes.AuthorizationFailed },
  AADSTS65001: { code: ConnectorErrorCodes.AuthorizationFailed },
  AADSTS65004: { code: ConnectorErrorCodes.AuthorizationFailed },
  AADSTS90072: { code: ConnectorErrorCodes.AuthorizationFailed },
};

/** `AADSTS70008` from `error_codes: [70008]` or a description starting with it. */
const aadstsCodeOf = (fields: Record<string, unknown>): string | undefined => {
  const [first] = Array.isArray(fields.error_codes) ? fields.error_codes : [];
  if (typeof first === 'number' && Number.isInteger(first)) {
    return `AADSTS${first}`;
  }
  const description = fields.error_description;
  return typeof description === 'string' ? /^AADSTS(\d+)\b/.exec(description)?.[0] : undefined;
};

/** The first line of Microsoft's description: the rest is trace and correlation ids and a timestamp. */
const summaryOf = (description: unknown): string | undefined =>
  typeof description === 'string'
    ? description.split(/\r?\n/)[0]?.trim().slice(0, 500) || undefined
    : undefined;

/** The `ConnectorError` for a Microsoft error body or error callback, or `undefined` for the OAuth mapping. */
export const readMicrosoftError = (body: unknown): ConnectorError | undefined => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return undefined;
  }
  const fields = body as Record<string, unknown>;
  const providerCode = aadstsCodeOf(fields);
  const row = providerCode ? rows[providerCode] : undefined;
  if (!providerCode || !row) {
    return undefined;
  }
  const description = summaryOf(fields.error_description);
  return connectorError(
    row.code,
    `Microsoft answered ${description ?? providerCode}${row.hint ? `. ${row.hint}` : ''}`,
    {
      provider: 'Microsoft',
      providerCode,
      ...(typeof fields.error === 'string' && { error: fields.error }),
      ...(description && { description }),
      ...(row.hint && { hint: row.hint }),
      ...(typeof fields.error_uri === 'string' && { errorUri: fields.error_uri }),
    },
  );
};

/**
 * Microsoft Graph's error body (`{ "error": { "code", "message" } }`,
 * https://learn.microsoft.com/graph/errors) for statuses base does not already map: a 403
 * `Authorization_RequestDenied` says the app lacks the `User.Read` permission. 401 (the token)
 * and 429 (throttling, with Retry-After) keep base's mapping.
 */
export const readGraphError = (
  body: unknown,
  { status }: { status: number },
): ConnectorError | undefined => {
  if (status < 400 || status === 401 || status === 429 || !body || typeof body !== 'object') {
    return undefined;
  }
  const error = (body as { error?: unknown }).error;
  if (!error || typeof error !== 'object') {
    return undefined;
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') {
    return undefined;
  }
  const description = typeof message === 'string' ? message.slice(0, 500) : undefined;
  return connectorError(
    ConnectorErrorCodes.General,
    `Microsoft Graph answered HTTP ${status} ${code}${description ? `: ${description}` : ''}${status === 403 ? '. Check that the app registration has the delegated permission User.Read' : ''}`,
    {
      provider: 'Microsoft Graph',
      status,
      providerCode: code,
      ...(description && { description }),
    },
  );
};
