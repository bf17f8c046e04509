import { timeoutConfigField, urlConfigField } from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: every key of `@logto/connector-twilio-sms` (accountSID, authToken,
 * fromMessagingServiceSID, disableRiskCheck, templates) means the same here. `endpoint` and
 * `timeout` are new and optional. The official guard also insists on Register, SignIn and
 * ForgotPassword templates; here every usage type falls back to `Generic`, so fewer are needed.
 */
export const templateGuard = z.object({
  usageType: z.string(),
  /** The text, with `{{code}}` and other payload values. */
  content: z.string(),
});

export const twilioSmsConfigGuard = z.object({
  accountSID: z.string().describe('The Account SID (`AC...`) of the Twilio console.'),
  authToken: z
    .string()
    .describe("The account's Auth Token. Never appears in an error, not even in part."),
  fromMessagingServiceSID: z
    .string()
    .describe('The Messaging Service (`MG...`) that picks the sender number.'),
  disableRiskCheck: z
    .boolean()
    .optional()
    .describe("Sends `RiskCheck=disable` (Twilio's SMS pumping protection). Off when unset."),
  templates: z.array(templateGuard),
  endpoint: urlConfigField()
    .optional()
    .describe(
      "Replaces `https://api.twilio.com` (a regional edge, a proxy or a local emulator). Twilio's public API when unset.",
    ),
  timeout: timeoutConfigField('Milliseconds one send may take. Default `10000`.'),
});

export type TwilioSmsConfig = z.infer<typeof twilioSmsConfigGuard>;
