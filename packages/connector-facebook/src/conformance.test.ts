import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createFacebookConnector from './index';

describeConnectorConformance({
  createConnector: createFacebookConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: { clientId: 'client-id', clientSecret: 'conformance-client-secret' },
  secrets: ['conformance-client-secret'],
});
