import { describeSmsConnectorFuzz } from '@idplug/testing';
import type { SmsConnector } from '@logto/connector-kit';
import createHttpSmsConnector from './index';

const authorization = 'Bearer fuzz-receiver-token-value';
const signingSecret = 'fuzz-signing-secret-value-0123';
const endpoint = 'https://sms-gateway.example.com/logto';

// The receiver's URL, answered arbitrarily by msw on every run.
describeSmsConnectorFuzz({
  connector: 'http-sms',
  create: async (config) =>
    (await createHttpSmsConnector({ getConfig: async () => config })) as SmsConnector,
  validConfig: () => ({ endpoint, authorization, signingSecret, timeout: 2000 }),
  secrets: [authorization, signingSecret],
  providerUrls: [endpoint],
  // The connector has no templates: the fuzzed `templates` key is an unknown key it ignores.
  numRuns: 60,
});
