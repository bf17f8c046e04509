import { describeEmailConnectorFuzz } from '@idplug/testing';
import type { EmailConnector } from '@logto/connector-kit';
import createPostmarkConnector from './index';

const serverToken = 'fuzz-postmark-server-token-value';

// Postmark's real URLs, answered arbitrarily by msw on every run.
describeEmailConnectorFuzz({
  connector: 'postmark',
  create: async (config) =>
    (await createPostmarkConnector({ getConfig: async () => config })) as EmailConnector,
  validConfig: () => ({
    serverToken,
    fromEmail: 'no-reply@example.com',
    templates: [{ usageType: 'Generic', subject: 'Code', content: 'Your code is {{code}}' }],
    timeout: 2000,
  }),
  secrets: [serverToken],
  providerUrls: [
    'https://api.postmarkapp.com/email',
    'https://api.postmarkapp.com/email/withTemplate',
  ],
  numRuns: 60,
});
