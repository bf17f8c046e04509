import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createOAuth2Connector from './index';

describeConnectorConformance({
  createConnector: createOAuth2Connector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint: 'https://idp.example.com/token',
    userInfoEndpoint: 'https://idp.example.com/userinfo',
    clientId: 'client-id',
    clientSecret: 'conformance-client-secret',
  },
  secrets: ['conformance-client-secret'],
});
