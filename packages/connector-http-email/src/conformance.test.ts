import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createHttpEmailConnector from './index';

describeConnectorConformance({
  createConnector: createHttpEmailConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    endpoint: 'https://mailer.example.com/logto/email',
    authorization: 'Bearer conformance-authorization-token',
    signingSecret: 'conformance-signing-secret-value',
  },
  secrets: ['conformance-authorization-token', 'conformance-signing-secret-value'],
});
