import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createAliyunSmsConnector from './index';

describeConnectorConformance({
  createConnector: createAliyunSmsConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: {
    accessKeyId: 'conformance-access-key-id',
    accessKeySecret: 'conformance-access-key-secret',
    signName: 'idplug',
    templates: [{ usageType: 'Generic', templateCode: 'SMS_000000001' }],
  },
  secrets: ['conformance-access-key-secret'],
});
