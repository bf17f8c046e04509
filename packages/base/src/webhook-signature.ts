import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * An optional signature on what the HTTP email and HTTP SMS connectors post, so the receiver can
 * refuse forged or replayed calls. The scheme is the widely used one of Stripe and Svix webhooks:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the timestamp inside the signed text.
 */

export const webhookSignatureHeader = 'x-idplug-signature';

/** How old a signed call may be before a receiver refuses it as a replay. @default 300 s */
export const defaultSignatureToleranceSeconds = 300;

/** The config key the HTTP connectors take the signing key from (a secret: never in an error). */
export const signingSecretConfigField = z
  .string()
  .min(16)
  .optional()
  .describe(
    `Signs every request with HMAC-SHA256 in an \`${webhookSignatureHeader}\` header (\`t=<unix seconds>,v1=<hex HMAC of "<t>.<body>">\`), so the receiver can refuse forged and replayed calls. At least 16 characters. Off when unset.`,
  );

const hmacHex = (secret: string, text: string): string =>
  createHmac('sha256', secret).update(text, 'utf8').digest('hex');

/** The header value for `body` signed at `timestamp` (unix seconds). */
export const signWebhookBody = (
  secret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): string => `t=${timestamp},v1=${hmacHex(secret, `${timestamp}.${body}`)}`;

/**
 * What a receiver runs (the README shows the same steps): the header parses, the timestamp is
 * recent, and the HMAC matches in constant time.
 */
export const verifyWebhookSignature = (
  secret: string,
  body: string,
  header: string | null | undefined,
  { toleranceSeconds = defaultSignatureToleranceSeconds, now = Math.floor(Date.now() / 1000) } = {},
): boolean => {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) {
    return false;
  }
  const timestamp = Number(match[1]);
  if (Math.abs(now - timestamp) > toleranceSeconds) {
    return false;
  }
  const expected = Buffer.from(hmacHex(secret, `${timestamp}.${body}`), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2] ?? '', 'hex'));
};
