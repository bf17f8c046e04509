import { describeEmailConnectorFuzz } from '@idplug/testing';
import type { EmailConnector } from '@logto/connector-kit';
import createSendGridConnector from './index';

const apiKey = 'SG.fuzz-sendgrid-api-key-value';

// SendGrid's real Mail Send URLs, answered arbitrarily by msw on every run.
describeEmailConnectorFuzz({
  connector: 'sendgrid',
  create: async (config) =>
    (await createSendGridConnector({ getConfig: async () => config })) as EmailConnector,
  validConfig: () => ({
    apiKey,
    fromEmail: 'no-reply@example.com',
    fromName: 'Example',
    templates: [
      {
        usageType: 'Generic',
        type: 'text/plain',
        subject: 'Code',
        content: 'Your code is {{code}}',
      },
    ],
    timeout: 2000,
  }),
  secrets: [apiKey],
  providerUrls: ['https://api.sendgrid.com/v3/mail/send'],
  numRuns: 60,
});
