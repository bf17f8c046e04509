import { describeSendFaultMatrix, smsTestMessage } from '@idplug/testing';
import createAliyunSmsConnector from './index';

const accessKeySecret = 'fault-matrix-access-key-secret';

// `endpoint` points the send at the misbehaving provider.
describeSendFaultMatrix({
  connector: 'aliyun-sms',
  create: createAliyunSmsConnector,
  secrets: [accessKeySecret],
  message: { ...smsTestMessage, to: '8613800138000' },
  config: (endpoint, timeout) => ({
    accessKeyId: 'LTAIkeyid0fault',
    accessKeySecret,
    signName: 'idplug',
    endpoint,
    timeout,
    templates: [{ usageType: 'Generic', templateCode: 'SMS_000000001' }],
  }),
});
