import {
  type SmsInboxMessage,
  startAliyunSmsEmulator,
  startHttpReceiver,
  startTwilioEmulator,
} from '@idplug/emulators';
import type { ConnectorPreset, Inbox, ReceivedMail } from '../emulators';
import { isEmulatorUrl } from './configured-factory';
import type { Started } from './start-together';

/**
 * The SMS connectors' emulators and presets. Each emulator files what it accepts in an SMS inbox
 * (`sms-inbox.ts` of the emulators: recipient, text, template), read here into the playground's.
 */

export const startSmsEmulators = () => ({
  twilio: startTwilioEmulator(),
  aliyunSms: startAliyunSmsEmulator(),
  httpSms: startHttpReceiver({ authorization: 'Bearer playground-http-sms-token' }),
});

export type SmsEmulators = Started<ReturnType<typeof startSmsEmulators>>;

const smsInbox = (
  receivedBy: string,
  messages: readonly SmsInboxMessage[],
  details: (index: number) => Record<string, string>,
): Inbox => ({
  messages: async () =>
    messages.map(
      (message, index): ReceivedMail => ({
        id: `${message.provider}-${index + 1}`,
        channel: 'sms',
        receivedBy,
        receivedAt: message.receivedAt,
        from: '',
        to: [message.to],
        subject: '',
        html: undefined,
        text: message.text,
        providerTemplate: message.template,
        details: details(index),
      }),
    ),
});

export const smsPresets = ({
  twilio,
  aliyunSms,
  httpSms,
}: SmsEmulators): Array<[string, ConnectorPreset]> => {
  const twilioAccount = twilio.connectorConfig.accountSID;
  const aliyunAccessKeyId = aliyunSms.connectorConfig.accessKeyId;
  const [aliyunGeneric] = aliyunSms.connectorConfig.templates as Array<{
    templateCode: { china: string; overseas: string };
  }>;
  return [
    [
      'twilio-short-message-service',
      {
        emulatorName: 'Twilio emulator (Programmable Messaging)',
        config: {
          ...twilio.connectorConfig,
          templates: [
            { usageType: 'Generic', content: 'Your verification code is {{code}}.' },
            { usageType: 'SignIn', content: 'Your sign-in code is {{code}}.' },
            { usageType: 'Register', content: 'Your sign-up code is {{code}}.' },
            { usageType: 'ForgotPassword', content: 'Your password reset code is {{code}}.' },
          ],
        },
        // Twilio's `endpoint` has no form item: the emulator's Account SID stands for it.
        usesEmulator: (config) => config.accountSID === twilioAccount,
        formlessConfig: { endpoint: twilio.url },
        emulatorUrl: twilio.url,
        inbox: smsInbox(
          `Twilio emulator at ${twilio.url}`,
          twilio.inbox,
          (index): Record<string, string> => {
            const message = twilio.backend.messages[index];
            return message
              ? { Sid: message.sid, 'Messaging Service': message.messagingServiceSid }
              : {};
          },
        ),
      },
    ],
    [
      'aliyun-short-message-service',
      {
        emulatorName: 'Aliyun SMS emulator (checks signatures, renders its templates)',
        config: {
          ...aliyunSms.connectorConfig,
          templates: [
            { usageType: 'Generic', templateCode: aliyunGeneric?.templateCode },
            { usageType: 'SignIn', templateCode: aliyunGeneric?.templateCode.overseas },
            { usageType: 'Register', templateCode: aliyunGeneric?.templateCode },
            { usageType: 'ForgotPassword', templateCode: aliyunGeneric?.templateCode },
          ],
        },
        // Aliyun SMS's `endpoint` has no form item: the emulator's AccessKeyId stands for it.
        usesEmulator: (config) => config.accessKeyId === aliyunAccessKeyId,
        formlessConfig: { endpoint: aliyunSms.url },
        emulatorUrl: aliyunSms.url,
        inbox: smsInbox(
          `Aliyun SMS emulator at ${aliyunSms.url}`,
          aliyunSms.inbox,
          (index): Record<string, string> => {
            const message = aliyunSms.backend.messages[index];
            return message
              ? {
                  SignName: message.signName,
                  TemplateParam: JSON.stringify(message.templateParam),
                  BizId: message.bizId,
                  Signature: `${message.params.SignatureMethod ?? ''} ${message.params.SignatureVersion ?? ''}, verified by the emulator`,
                }
              : {};
          },
        ),
      },
    ],
    [
      'http-sms',
      {
        emulatorName: 'HTTP SMS receiver',
        config: httpSms.connectorConfig,
        usesEmulator: (config) => isEmulatorUrl(config.endpoint, httpSms.url),
        emulatorUrl: httpSms.url,
        inbox: smsInbox(
          `HTTP SMS receiver at ${httpSms.url}`,
          httpSms.messages,
          (index): Record<string, string> => {
            const request = httpSms.requests.filter(({ status }) => status === 200)[index];
            return request ? { 'Request body': request.rawBody.toString('utf8') } : {};
          },
        ),
      },
    ],
  ];
};
