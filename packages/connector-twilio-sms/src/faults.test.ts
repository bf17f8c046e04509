import { describeFaultMatrix } from '@idplug/testing';
import type { SmsConnector } from '@logto/connector-kit';
import createTwilioSmsConnector from './index';

const authToken = 'fault-matrix-auth-token';
const timeoutMs = 1000;

// `endpoint` points the send at the misbehaving provider.
describeFaultMatrix({
  connector: 'twilio-sms',
  timeoutMs,
  secrets: [authToken, Buffer.from(`ACfault:${authToken}`).toString('base64')],
  operations: [
    {
      name: 'send',
      run: async (providerUrl) => {
        const connector = (await createTwilioSmsConnector({
          getConfig: async () => ({
            accountSID: 'ACfault',
            authToken,
            fromMessagingServiceSID: 'MGfault',
            endpoint: providerUrl,
            timeout: timeoutMs,
            templates: [{ usageType: 'Generic', content: '{{code}}' }],
          }),
        })) as SmsConnector;
        return connector.sendMessage({
          to: '4512345678',
          type: 'SignIn' as never,
          payload: { code: '123456' },
        });
      },
    },
  ],
});
