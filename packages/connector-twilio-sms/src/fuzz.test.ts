import { describeSmsConnectorFuzz } from '@idplug/testing';
import type { SmsConnector } from '@logto/connector-kit';
import createTwilioSmsConnector from './index';

const authToken = 'fuzz-twilio-auth-token-value';

// Twilio's real Messages URL (any account), answered arbitrarily by msw on every run.
describeSmsConnectorFuzz({
  connector: 'twilio-sms',
  create: async (config) =>
    (await createTwilioSmsConnector({ getConfig: async () => config })) as SmsConnector,
  validConfig: () => ({
    accountSID: 'AC0123456789abcdef0123456789abcdef',
    authToken,
    fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
    templates: [{ usageType: 'Generic', content: 'Your code is {{code}}' }],
    timeout: 2000,
  }),
  secrets: [authToken],
  providerUrls: ['https://api.twilio.com/2010-04-01/Accounts/:account/Messages.json'],
  numRuns: 60,
});
