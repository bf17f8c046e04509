import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createTwilioSmsConnector from './index';

describeConnectorConformance({
  createConnector: createTwilioSmsConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    accountSID: 'AC0123456789abcdef0123456789abcdef',
    authToken: 'conformance-auth-token',
    fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
    templates: [{ usageType: 'Generic', content: 'Your code is {{code}}' }],
  },
  secrets: ['conformance-auth-token'],
});
