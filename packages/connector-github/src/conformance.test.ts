import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createGithubConnector from './index';

describeConnectorConformance({
  createConnector: createGithubConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: { clientId: 'client-id', clientSecret: 'conformance-client-secret' },
  secrets: ['conformance-client-secret'],
});
