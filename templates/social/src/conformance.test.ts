import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import create__Name__Connector from './index';

describeConnectorConformance({
  createConnector: create__Name__Connector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: { clientId: 'client-id', clientSecret: 'conformance-client-secret' },
  secrets: ['conformance-client-secret'],
});
