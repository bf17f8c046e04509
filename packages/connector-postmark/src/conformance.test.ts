import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createPostmarkConnector from './index';

describeConnectorConformance({
  createConnector: createPostmarkConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    serverToken: 'conformance-postmark-server-token',
    fromEmail: 'no-reply@example.com',
    templates: [{ usageType: 'Generic', templateAlias: 'logto-generic' }],
  },
  secrets: ['conformance-postmark-server-token'],
});
