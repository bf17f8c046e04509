import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createHttpSmsConnector from './index';

describeConnectorConformance({
  createConnector: createHttpSmsConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    endpoint: 'https://sms-gateway.example.com/logto',
    authorization: 'Bearer conformance-receiver-token',
    signingSecret: 'conformance-signing-secret-0123',
  },
  secrets: ['Bearer conformance-receiver-token', 'conformance-signing-secret-0123'],
});
