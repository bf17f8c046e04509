import { describeSendFaultMatrix, smsTestMessage } from '@idplug/testing';
import createTwilioSmsConnector from './index';

const authToken = 'fault-matrix-auth-token';

// `endpoint` points the send at the misbehaving provider.
describeSendFaultMatrix({
  connector: 'twilio-sms',
  create: createTwilioSmsConnector,
  secrets: [authToken, Buffer.from(`ACfault:${authToken}`).toString('base64')],
  message: smsTestMessage,
  config: (endpoint, timeout) => ({
    accountSID: 'ACfault',
    authToken,
    fromMessagingServiceSID: 'MGfault',
    endpoint,
    timeout,
    templates: [{ usageType: 'Generic', content: '{{code}}' }],
  }),
});
