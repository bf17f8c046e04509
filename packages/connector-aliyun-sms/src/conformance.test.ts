import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createAliyunSmsConnector from './index';

describeConnectorConformance({
  createConnector: createAliyunSmsConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    apiKey: 'conformance-api-key',
    sender: 'Example',
    templates: [{ usageType: 'Generic', content: 'Your code is {{code}}' }],
  },
  secrets: ['conformance-api-key'],
});
