import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createAzureAdConnector from './index';

describeConnectorConformance({
  createConnector: createAzureAdConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    clientId: 'client-id',
    clientSecret: 'conformance-client-secret',
    cloudInstance: 'https://login.microsoftonline.com',
    tenantId: 'common',
  },
  secrets: ['conformance-client-secret'],
});
