import { excerptOf, providerErrorReader, usageLimitExceededCode } from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { providerName } from './constants';

/**
 * SES v2 errors (REST-JSON): the exception name in `x-amzn-ErrorType` (`Name:uri`) or in the body's
 * `__type`/`code`, the reason in `message`. Names from the SendEmail reference
 * (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html#API_SendEmail_Errors)
 * and the common errors of every AWS API (https://docs.aws.amazon.com/ses/latest/APIReference-V2/CommonErrors.html).
 */
const exceptionTable: Readonly<Record<string, ConnectorErrorCodes | (() => ConnectorErrorCodes)>> =
  {
    TooManyRequestsException: ConnectorErrorCodes.RateLimitExceeded,
    ThrottlingException: ConnectorErrorCodes.RateLimitExceeded,
    Throttling: ConnectorErrorCodes.RateLimitExceeded,
    // The message or its sender was refused: SES's reason says why.
    MessageRejected: ConnectorErrorCodes.General,
    MailFromDomainNotVerifiedException: ConnectorErrorCodes.General,
    // Sending paused (review) or the account suspended: not a passing limit.
    SendingPausedException: usageLimitExceededCode,
    AccountSuspendedException: usageLimitExceededCode,
    // The credentials, the signature or the region: the operator's to fix.
    InvalidClientTokenId: ConnectorErrorCodes.InvalidConfig,
    UnrecognizedClientException: ConnectorErrorCodes.InvalidConfig,
    SignatureDoesNotMatch: ConnectorErrorCodes.InvalidConfig,
    IncompleteSignature: ConnectorErrorCodes.InvalidConfig,
    MissingAuthenticationToken: ConnectorErrorCodes.InvalidConfig,
    AccessDeniedException: ConnectorErrorCodes.InvalidConfig,
    AccessDenied: ConnectorErrorCodes.InvalidConfig,
    NotAuthorized: ConnectorErrorCodes.InvalidConfig,
    OptInRequired: ConnectorErrorCodes.InvalidConfig,
    // The configuration set or identity named in the config does not exist.
    NotFoundException: ConnectorErrorCodes.InvalidConfig,
    BadRequestException: ConnectorErrorCodes.General,
    LimitExceededException: ConnectorErrorCodes.General,
  };

const hints: Readonly<Record<string, string>> = {
  SignatureDoesNotMatch: 'check accessKeySecret, and the server clock',
  InvalidClientTokenId: 'check accessKeyId and region',
  UnrecognizedClientException: 'check accessKeyId and region',
  AccessDeniedException: 'allow ses:SendEmail on the identity for this access key',
  NotFoundException: 'check configurationSetName and the identity ARNs',
  MailFromDomainNotVerifiedException: "verify the identity's custom MAIL FROM domain",
  SendingPausedException:
    'sending is paused for the account or the configuration set; see the SES console',
  AccountSuspendedException: 'the account may not send; contact AWS support',
};

type SesErrorFields = { name?: string; message?: string };

const nameOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== ''
    ? (value.split(':')[0]?.split('#').pop() ?? value)
    : undefined;

/** Reads JSON (REST-JSON), or the `<Code>`/`<Message>` of an XML error (query API, proxies). */
export const readSesErrorFields = (text: string, headers: Headers): SesErrorFields => {
  const fromHeader = nameOf(headers.get('x-amzn-errortype'));
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const message = body.message ?? body.Message;
    return {
      name: fromHeader ?? nameOf(body.__type) ?? nameOf(body.code) ?? nameOf(body.Code),
      ...(typeof message === 'string' && { message }),
    };
  } catch {
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1];
    return { name: fromHeader ?? code, ...(message !== undefined && { message }) };
  }
};

type SesAnswer = { providerCode?: string; description?: string; hint?: string; reason: string };

/** The exception's code when the table knows it, else the status's. */
const codeOf =
  (byStatus: ConnectorErrorCodes) =>
  ({ providerCode }: SesAnswer): ConnectorErrorCodes => {
    const mapped = providerCode === undefined ? undefined : exceptionTable[providerCode];
    return (typeof mapped === 'function' ? mapped() : mapped) ?? byStatus;
  };

const answered = ({ providerCode, status, reason, hint }: SesAnswer & { status: number }) =>
  `answered ${providerCode ? `\`${providerCode}\`` : `HTTP ${status}`}${reason ? `: ${reason}` : ''}${hint ? ` (${hint})` : ''}`;

export const readSesError = providerErrorReader({
  provider: providerName,
  readFields: (text, headers): SesAnswer => {
    const { name, message } = readSesErrorFields(text, headers);
    const hint = name ? hints[name] : undefined;
    return {
      ...(name && { providerCode: name }),
      ...(message && { description: message }),
      ...(hint && { hint }),
      reason: message ?? (name ? '' : excerptOf(text)),
    };
  },
  statuses: {
    401: { code: codeOf(ConnectorErrorCodes.InvalidConfig), message: answered },
    403: { code: codeOf(ConnectorErrorCodes.InvalidConfig), message: answered },
    429: { code: codeOf(ConnectorErrorCodes.RateLimitExceeded), message: answered },
  },
  otherwise: { code: codeOf(ConnectorErrorCodes.General), message: answered },
});
