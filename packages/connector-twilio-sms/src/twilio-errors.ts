import { connectorError, parseRetryAfter } from '@idplug/base';
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { providerName } from './constants';

/**
 * Twilio's numeric error codes (https://www.twilio.com/docs/api/errors), read from its error
 * body `{ code, message, more_info, status }`, as connector-kit codes. Twilio's `more_info` link
 * travels as `errorUri`; codes not listed are `general` carrying Twilio's message.
 */
const twilioErrorTable: Readonly<Record<number, ConnectorErrorCodes>> = {
  // 20003 "Authenticate": a wrong Account SID or Auth Token.
  20003: ConnectorErrorCodes.InvalidConfig,
  // 20404 "The requested resource was not found": the Account SID in the URL is unknown.
  20404: ConnectorErrorCodes.InvalidConfig,
  // 21211 "Invalid 'To' Phone Number"; 21614 "'To' number is not a valid mobile number".
  21211: ConnectorErrorCodes.InvalidRequestParameters,
  21614: ConnectorErrorCodes.InvalidRequestParameters,
  // 21408 "Permission to send an SMS has not been enabled for the region"; 21610 "Attempt to
  // send to unsubscribed recipient" (the person texted STOP): the operator or the person must act.
  21408: ConnectorErrorCodes.General,
  21610: ConnectorErrorCodes.General,
  // 21701-21705: the Messaging Service SID is invalid or has no sender.
  21701: ConnectorErrorCodes.InvalidConfig,
  21703: ConnectorErrorCodes.InvalidConfig,
  21704: ConnectorErrorCodes.InvalidConfig,
  21705: ConnectorErrorCodes.InvalidConfig,
  // 21617 "The concatenated message body exceeds the 1600 character limit": the template.
  21617: ConnectorErrorCodes.InvalidConfig,
  // 20429 "Too Many Requests".
  20429: ConnectorErrorCodes.RateLimitExceeded,
};

/** What a person should know about codes whose bare message is not enough. */
const reasons: Readonly<Record<number, string>> = {
  21408:
    'sending to this country is not enabled in the Twilio console (Messaging > Settings > Geo permissions)',
  21610:
    'the recipient has opted out by replying STOP; they must reply START to receive texts again',
};

/** 30001-30036 are delivery failures; 30007 is "Message filtered" by the carrier. */
const isDeliveryFailure = (code: number): boolean => code >= 30_001 && code <= 30_099;

const deliveryReason = (code: number): string =>
  code === 30_007
    ? 'the carrier filtered the message as spam (register the sender, e.g. A2P 10DLC, and keep the text free of links and shorteners)'
    : 'the carrier did not deliver the message';

export type TwilioErrorFields = {
  code?: number;
  message?: string;
  moreInfo?: string;
};

/** Reads Twilio's error body; `undefined` when it has neither a code nor a message. */
export const readTwilioError = (body: unknown): TwilioErrorFields | undefined => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return undefined;
  }
  const { code, message, more_info } = body as Record<string, unknown>;
  const numeric = typeof code === 'number' ? code : typeof code === 'string' ? Number(code) : NaN;
  const fields: TwilioErrorFields = {
    ...(Number.isInteger(numeric) && { code: numeric }),
    ...(typeof message === 'string' && { message }),
    ...(typeof more_info === 'string' && { moreInfo: more_info }),
  };
  return fields.code === undefined && fields.message === undefined ? undefined : fields;
};

/** The connector-kit code for Twilio's `code` (and the HTTP status when there is none). */
export const mapTwilioErrorCode = (
  code: number | undefined,
  status: number,
): ConnectorErrorCodes => {
  const listed = code === undefined ? undefined : twilioErrorTable[code];
  if (listed) {
    return listed;
  }
  if (status === 429) {
    return ConnectorErrorCodes.RateLimitExceeded;
  }
  if (status === 401) {
    return ConnectorErrorCodes.InvalidConfig;
  }
  return ConnectorErrorCodes.General;
};

export const twilioError = (
  fields: TwilioErrorFields,
  status: number,
  retryAfter?: number,
): ConnectorError => {
  const code = fields.code;
  const errorCode = mapTwilioErrorCode(code, status);
  const reason =
    code === undefined ? undefined : isDeliveryFailure(code) ? deliveryReason(code) : reasons[code];
  const said = fields.message ? `: ${fields.message}` : '';
  return connectorError(
    errorCode,
    `${providerName} refused the message${code === undefined ? '' : ` (error ${code})`}${said}${reason ? `; ${reason}` : ''}`,
    {
      provider: providerName,
      status,
      ...(code !== undefined && { providerCode: String(code) }),
      ...(fields.message && { description: fields.message }),
      ...(reason && { hint: reason }),
      ...(fields.moreInfo && { errorUri: fields.moreInfo }),
      ...(errorCode === ConnectorErrorCodes.RateLimitExceeded &&
        retryAfter !== undefined && { retryAfter }),
    },
  );
};

/**
 * `readProviderError` for the Messages call: an error status with Twilio's body, or a created
 * message that already failed (`status: failed|undelivered` with a 300xx `error_code`).
 */
export const readTwilioSendError = (
  body: unknown,
  { status, headers }: { status: number; headers: Headers },
): ConnectorError | undefined => {
  if (status >= 400) {
    const fields = readTwilioError(body);
    return fields || status === 401
      ? twilioError(fields ?? {}, status, parseRetryAfter(headers.get('retry-after')))
      : undefined;
  }
  const created = body as {
    status?: unknown;
    error_code?: unknown;
    error_message?: unknown;
  } | null;
  if (
    created &&
    typeof created === 'object' &&
    (created.status === 'failed' || created.status === 'undelivered') &&
    typeof created.error_code === 'number'
  ) {
    return twilioError(
      {
        code: created.error_code,
        ...(typeof created.error_message === 'string' && { message: created.error_message }),
        moreInfo: `https://www.twilio.com/docs/errors/${created.error_code}`,
      },
      status,
    );
  }
  return undefined;
};
