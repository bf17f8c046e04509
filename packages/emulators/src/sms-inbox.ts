/**
 * What the SMS emulators (Twilio, Aliyun SMS, the plain HTTP receiver) record of every message
 * they accept, in one shape, so the playground can show one inbox, newest first.
 */
export type SmsInboxMessage = {
  /** Which emulator took it. */
  provider: 'twilio' | 'aliyun-sms' | 'http-sms';
  /** The recipient as the connector sent it. */
  to: string;
  /** The text the phone would show (rendered by the emulator for provider-side templates). */
  text: string;
  /** The template used: Logto's usage type, or the provider's template code. */
  template: string;
  receivedAt: Date;
};

/** Newest first, as an inbox shows them. */
export const newestFirst = (messages: readonly SmsInboxMessage[]): SmsInboxMessage[] =>
  [...messages].sort((left, right) => right.receivedAt.getTime() - left.receivedAt.getTime());
