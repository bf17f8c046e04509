import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createGoogleConnector from './index';

describeConnectorConformance({
  createConnector: createGoogleConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    clientId: 'client-id.apps.googleusercontent.com',
    clientSecret: 'conformance-client-secret',
  },
  secrets: ['conformance-client-secret'],
});
