import { describeEmailConnectorFuzz } from '@idplug/testing';
import type { EmailConnector } from '@logto/connector-kit';
import createHttpEmailConnector from './index';

const token = 'fuzz-http-email-authorization-token';
const signingSecret = 'fuzz-http-email-signing-secret';
const endpoint = 'https://mailer.example.com/logto/email';

// The receiver's URL, answered arbitrarily by msw on every run.
describeEmailConnectorFuzz({
  connector: 'http-email',
  create: async (config) =>
    (await createHttpEmailConnector({ getConfig: async () => config })) as EmailConnector,
  validConfig: () => ({ endpoint, authorization: `Bearer ${token}`, signingSecret, timeout: 2000 }),
  secrets: [token, signingSecret],
  providerUrls: [endpoint],
  numRuns: 60,
});
