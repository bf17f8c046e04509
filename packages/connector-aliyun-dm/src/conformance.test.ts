import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createAliyunDmConnector from './index';

describeConnectorConformance({
  createConnector: createAliyunDmConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    accessKeyId: 'conformance-access-key-id',
    accessKeySecret: 'conformance-access-key-secret',
    accountName: 'no-reply@mail.example.com',
    templates: [{ usageType: 'Generic', subject: 'Code', content: 'Your code is {{code}}' }],
  },
  secrets: ['conformance-access-key-secret'],
});
