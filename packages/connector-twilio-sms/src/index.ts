import { connectorError, defineSmsConnector } from '@idplug/base';
import { ConnectorErrorCodes, type CreateConnector, type SmsConnector } from '@logto/connector-kit';
import { twilioSmsConfigGuard } from './config';
import { defaultApiBase, messagesUrl, metadata, providerName } from './constants';
import { readTwilioSendError } from './twilio-errors';

/**
 * Twilio SMS for Logto: one form-encoded POST to the Message resource, Basic auth with the
 * Account SID and Auth Token, the number in E.164. Template choice, rendering, the recipient
 * check, masking of the number in errors and the HTTP client (deadline, no retry of a send) are
 * `@idplug/base`'s; Twilio's error codes are mapped in twilio-errors.ts.
 */
const createTwilioSmsConnector: CreateConnector<SmsConnector> = defineSmsConnector({
  metadata,
  configGuard: twilioSmsConfigGuard,
  providerName,
  deliver: async (message, { config, http }) => {
    const credentials = Buffer.from(`${config.accountSID}:${config.authToken}`).toString('base64');
    const response = await http.request({
      method: 'POST',
      url: messagesUrl(config.endpoint ?? defaultApiBase, config.accountSID),
      purpose: 'send',
      headers: { authorization: `Basic ${credentials}` },
      form: {
        // Logto stores numbers without the `+`; Twilio wants E.164.
        To: message.e164,
        MessagingServiceSid: config.fromMessagingServiceSID,
        Body: message.text ?? '',
        // Sent either way, as the official connector does; `disable` turns off Twilio's
        // SMS pumping protection for this message.
        RiskCheck: config.disableRiskCheck ? 'disable' : 'enable',
      },
      responseType: 'json',
      readProviderError: readTwilioSendError,
    });
    const created = response.body as { sid?: unknown; status?: unknown } | null;
    if (typeof created?.sid !== 'string') {
      // A proxy or a captive portal answered, not Twilio: the message may not have been sent.
      throw connectorError(
        ConnectorErrorCodes.InvalidResponse,
        `${providerName} answered HTTP ${response.status} without the created message's sid`,
        { provider: providerName, status: response.status },
      );
    }
    return { sid: created.sid, status: created.status };
  },
});

export default createTwilioSmsConnector;
