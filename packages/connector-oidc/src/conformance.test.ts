import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createOidcConnector from './index';

describeConnectorConformance({
  createConnector: createOidcConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    authorizationEndpoint: 'https://op.example.com/authorize',
    tokenEndpoint: 'https://op.example.com/token',
    clientId: 'client-id',
    clientSecret: 'conformance-client-secret',
    scope: 'openid profile',
    idTokenVerificationConfig: { jwksUri: 'https://op.example.com/jwks' },
  },
  secrets: ['conformance-client-secret'],
});
