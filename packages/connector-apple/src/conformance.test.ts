import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createAppleConnector from './index';

// A code-flow config: the signing key is the secret that must never appear in an error.
const privateKey =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgconformancekeynotrealAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----';

describeConnectorConformance({
  createConnector: createAppleConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    clientId: 'com.example.web',
    scope: 'name email',
    teamId: 'ABCDE12345',
    keyId: 'KEY1234567',
    privateKey,
  },
  secrets: [privateKey, 'conformancekeynotreal'],
});
