import { describeFaultMatrix } from '@idplug/testing';
import { type EmailConnector, TemplateType } from '@logto/connector-kit';
import createAliyunDmConnector from './index';

const accessKeySecret = 'fault-matrix-aliyun-access-key-secret';
// The config's minimum.
const timeoutMs = 1000;

describeFaultMatrix({
  connector: 'aliyun-dm',
  timeoutMs,
  secrets: [accessKeySecret],
  operations: [
    {
      // The custom endpoint (a VPC endpoint or a proxy in production) is the misbehaving provider.
      name: 'send',
      run: async (providerUrl) => {
        const connector = (await createAliyunDmConnector({
          getConfig: async () => ({
            accessKeyId: 'LTAI-fault-matrix',
            accessKeySecret,
            accountName: 'noreply@mail.example.com',
            endpoint: `${providerUrl}/`,
            timeout: timeoutMs,
            templates: [{ usageType: 'Generic', subject: 'Your code', content: 'Code: {{code}}' }],
          }),
        })) as EmailConnector;
        return connector.sendMessage({
          to: 'ada@example.com',
          type: TemplateType.Generic,
          payload: { code: '123456' },
        });
      },
    },
  ],
});
