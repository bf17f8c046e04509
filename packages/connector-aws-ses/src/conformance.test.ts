import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createAwsSesConnector from './index';

describeConnectorConformance({
  createConnector: createAwsSesConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    apiKey: 'conformance-api-key',
    fromAddress: 'no-reply@example.com',
    templates: [{ usageType: 'Generic', subject: 'Code', content: 'Your code is {{code}}' }],
  },
  secrets: ['conformance-api-key'],
});
