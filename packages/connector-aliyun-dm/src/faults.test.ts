import { describeSendFaultMatrix, emailTestMessage } from '@idplug/testing';
import createAliyunDmConnector from './index';

const secret = 'fault-matrix-access-key-secret';

// The custom endpoint (a VPC endpoint or a proxy) points the send at the misbehaving provider.
describeSendFaultMatrix({
  connector: 'aliyun-dm',
  create: createAliyunDmConnector,
  secrets: [secret],
  message: emailTestMessage,
  config: (endpoint, timeout) => ({
    // No prefix in common with the secret: the matrix refuses any 8 characters of it.
    accessKeyId: 'LTAI-public-key-id',
    accessKeySecret: secret,
    accountName: 'no-reply@mail.example.com',
    endpoint,
    timeout,
    templates: [{ usageType: 'Generic', subject: 'Code', content: '{{code}}' }],
  }),
});
