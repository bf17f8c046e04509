import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createSendGridConnector from './index';

describeConnectorConformance({
  createConnector: createSendGridConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    apiKey: 'SG.conformance-api-key',
    fromEmail: 'no-reply@example.com',
    templates: [
      {
        usageType: 'Generic',
        type: 'text/plain',
        subject: 'Code',
        content: 'Your code is {{code}}',
      },
    ],
  },
  secrets: ['SG.conformance-api-key'],
});
