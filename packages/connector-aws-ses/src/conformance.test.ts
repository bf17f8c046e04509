import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createAwsSesConnector from './index';

describeConnectorConformance({
  createConnector: createAwsSesConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    accessKeyId: 'AKIACONFORMANCE00000',
    accessKeySecret: 'conformance-aws-secret-access-key',
    region: 'us-east-1',
    emailAddress: 'no-reply@example.com',
    templates: [{ usageType: 'Generic', subject: 'Code', content: 'Your code is {{code}}' }],
  },
  secrets: ['conformance-aws-secret-access-key'],
});
