import { describeEmailConnectorFuzz } from '@idplug/testing';
import type { EmailConnector } from '@logto/connector-kit';
import { regionEndpoint } from './constants';
import createAliyunDmConnector from './index';

const accessKeySecret = 'fuzz-aliyun-access-key-secret-value';

// Direct Mail's real public endpoint, answered arbitrarily by msw on every run.
describeEmailConnectorFuzz({
  connector: 'aliyun-dm',
  create: async (config) =>
    (await createAliyunDmConnector({ getConfig: async () => config })) as EmailConnector,
  validConfig: () => ({
    accessKeyId: 'LTAI-fuzz',
    accessKeySecret,
    regionId: 'cn-hangzhou',
    accountName: 'noreply@mail.example.com',
    fromAlias: 'Example',
    templates: [{ usageType: 'Generic', subject: 'Code', content: 'Your code is {{code}}' }],
    timeout: 2000,
  }),
  secrets: [accessKeySecret],
  providerUrls: [regionEndpoint('cn-hangzhou')],
  numRuns: 60,
});
