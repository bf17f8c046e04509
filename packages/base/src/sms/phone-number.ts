import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError } from '../errors';

/**
 * The one place an SMS recipient is read. Logto hands a connector the phone number as it stored
 * it, usually digits without the leading `+` (`4512345678`); a provider may want E.164
 * (`+4512345678`, ITU-T E.164 §6: at most 15 digits, country code first). Anything that cannot
 * be one phone number (letters, a line break, a list, too many digits) is refused before any
 * request, and no error ever shows a full number: only its last 4 digits.
 */

/** E.164 numbers have at most 15 digits (ITU-T E.164 §6.1); short codes have at least 4. */
const minimumDigits = 4;
const maximumDigits = 15;

/** What is read from one recipient. */
export type PhoneRecipient = {
  /** The value exactly as Logto passed it (for connectors that forward it untouched). */
  raw: string;
  /** The digits, formatting (spaces, dots, dashes, parentheses) removed, an optional leading `+` kept. */
  number: string;
  /** The digits only. */
  digits: string;
  /** E.164 with its `+`: `4512345678` and `+45 12 34 56 78` are both `+4512345678`. */
  e164: string;
};

/**
 * A number with all but its last 4 digits masked (`+4512345678` is `+******5678`): enough
 * for a person to tell which number it was, not enough to be the number. Short numbers keep
 * fewer digits so that at least 4 stay hidden.
 */
export const maskPhoneNumber = (number: string): string => {
  const digits = number.replace(/\D/g, '');
  const visible = Math.min(4, Math.max(0, digits.length - 4));
  const plus = number.trim().startsWith('+') ? '+' : '';
  return `${plus}${'*'.repeat(digits.length - visible)}${digits.slice(digits.length - visible)}`;
};

const refuse = (message: string): ConnectorError =>
  connectorError(ConnectorErrorCodes.InvalidRequestParameters, `${message}; nothing was sent`);

/**
 * Reads one recipient phone number: digits with an optional leading `+`, written with spaces,
 * dots, dashes or parentheses if one likes. A list, a line break, letters or more than 15 digits
 * are `invalid_request_parameters`, and the message never echoes the value.
 */
export const readPhoneRecipient = (to: unknown): PhoneRecipient => {
  if (typeof to !== 'string' || to.trim() === '') {
    throw refuse('The phone number is missing');
  }
  if (/[\r\n]/.test(to)) {
    throw refuse('The phone number contains a line break');
  }
  const number = to.trim().replace(/[\s().-]/g, '');
  const digits = number.replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) {
    throw refuse(
      `The recipient must be one phone number: digits with an optional leading + (got ${to.trim().length} characters that are not)`,
    );
  }
  if (digits.length < minimumDigits || digits.length > maximumDigits) {
    throw refuse(
      `The phone number ${maskPhoneNumber(number)} has ${digits.length} digits; E.164 allows ${minimumDigits} to ${maximumDigits}`,
    );
  }
  return { raw: to, number, digits, e164: `+${digits}` };
};

const escapeForPattern = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Masks `recipient` wherever it appears in `text`, with or without its `+`, a `00` prefix or a
 * country code:
 * providers echo the number in their messages (Twilio: "The 'To' number +4512345678 is not a
 * valid phone number").
 */
export const maskPhoneNumberIn = (text: string, recipient: PhoneRecipient): string => {
  // Not inside a longer run of digits (an id), but with a country code in front of a national
  // number (`8613800138000` for `13800138000`).
  const pattern = new RegExp(
    `(?<!\\d)(?:\\+|00)?\\d{0,3}${escapeForPattern(recipient.digits)}(?!\\d)`,
    'g',
  );
  return text.replace(pattern, (match) => maskPhoneNumber(match.replace(/^00/, '+')));
};

const maskValue = (value: unknown, recipient: PhoneRecipient, depth: number): unknown => {
  if (typeof value === 'string') {
    return maskPhoneNumberIn(value, recipient);
  }
  if (depth > 20 || !value || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => maskValue(item, recipient, depth + 1));
  }
  if (value instanceof Error) {
    return maskPhoneNumberIn(value.message, recipient);
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, maskValue(item, recipient, depth + 1)]),
  );
};

/** The same error with the recipient's number masked in its message and data. */
export const maskPhoneNumberInError = (error: unknown, recipient: PhoneRecipient): unknown => {
  if (error instanceof ConnectorError) {
    const masked = new ConnectorError(
      error.code,
      maskValue(error.data, recipient, 0) as ConstructorParameters<typeof ConnectorError>[1],
    );
    masked.message = maskPhoneNumberIn(error.message, recipient);
    return masked;
  }
  if (error instanceof Error) {
    const masked = new Error(maskPhoneNumberIn(error.message, recipient));
    masked.name = error.name;
    return masked;
  }
  return typeof error === 'string' ? maskPhoneNumberIn(error, recipient) : error;
};
