import { describeFaultMatrix } from '@idplug/testing';
import type { SmsConnector } from '@logto/connector-kit';
import createAliyunSmsConnector from './index';

const accessKeySecret = 'fault-matrix-access-key-secret';
const timeoutMs = 1000;

// `endpoint` points the send at the misbehaving provider.
describeFaultMatrix({
  connector: 'aliyun-sms',
  timeoutMs,
  secrets: [accessKeySecret],
  operations: [
    {
      name: 'send',
      run: async (providerUrl) => {
        const connector = (await createAliyunSmsConnector({
          getConfig: async () => ({
            accessKeyId: 'LTAIkeyid0fault',
            accessKeySecret,
            signName: 'idplug',
            endpoint: providerUrl,
            timeout: timeoutMs,
            templates: [{ usageType: 'Generic', templateCode: 'SMS_000000001' }],
          }),
        })) as SmsConnector;
        return connector.sendMessage({
          to: '8613800138000',
          type: 'SignIn' as never,
          payload: { code: '123456' },
        });
      },
    },
  ],
});
