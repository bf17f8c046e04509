import { describeEmailConnectorFuzz } from '@idplug/testing';
import type { EmailConnector } from '@logto/connector-kit';
import createMailgunConnector from './index';

const apiKey = 'fuzz-mailgun-api-key-value';

// Mailgun's real URL, answered arbitrarily by msw on every run. Deliveries are a record, not the
// harness's template list: the message property keeps the valid deliveries below.
describeEmailConnectorFuzz({
  connector: 'mailgun',
  create: async (config) =>
    (await createMailgunConnector({ getConfig: async () => config })) as EmailConnector,
  validConfig: () => ({
    domain: 'mg.example.com',
    apiKey,
    from: 'Example <no-reply@mg.example.com>',
    deliveries: {
      SignIn: { template: 'logto-signin', variables: { product: 'Example' } },
      Generic: { subject: 'Code {{code}}', html: '<p>Your code is {{code}}</p>' },
    },
    timeout: 2000,
  }),
  secrets: [apiKey],
  providerUrls: ['https://api.mailgun.net/v3/mg.example.com/messages'],
  numRuns: 60,
});
