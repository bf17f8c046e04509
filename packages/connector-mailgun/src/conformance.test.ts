import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createMailgunConnector from './index';

describeConnectorConformance({
  createConnector: createMailgunConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    domain: 'mg.example.com',
    apiKey: 'conformance-mailgun-api-key',
    from: 'no-reply@mg.example.com',
    deliveries: { Generic: { subject: 'Code', html: '<p>{{code}}</p>' } },
  },
  secrets: ['conformance-mailgun-api-key'],
});
