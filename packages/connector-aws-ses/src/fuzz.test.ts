import { describeEmailConnectorFuzz } from '@idplug/testing';
import type { EmailConnector } from '@logto/connector-kit';
import { regionEndpoint, sendEmailPath } from './constants';
import createAwsSesConnector from './index';

const accessKeySecret = 'fuzz-aws-secret-access-key-value';

// SES's real endpoint, answered arbitrarily by msw on every run.
describeEmailConnectorFuzz({
  connector: 'aws-ses',
  create: async (config) =>
    (await createAwsSesConnector({ getConfig: async () => config })) as EmailConnector,
  validConfig: () => ({
    accessKeyId: 'AKIAFUZZ000000000000',
    accessKeySecret,
    region: 'us-east-1',
    emailAddress: 'no-reply@example.com',
    templates: [{ usageType: 'Generic', subject: 'Code', content: 'Your code is {{code}}' }],
    timeout: 2000,
  }),
  secrets: [accessKeySecret],
  providerUrls: [`${regionEndpoint('us-east-1')}${sendEmailPath}`],
  numRuns: 60,
});
