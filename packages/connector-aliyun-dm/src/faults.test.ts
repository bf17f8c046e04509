import { describeFaultMatrix } from '@idplug/testing';
import { type EmailConnector, TemplateType } from '@logto/connector-kit';
import createAliyunDmConnector from './index';

const secret = 'fault-matrix-access-key-secret';
const timeoutMs = 1000;

// The custom endpoint (a VPC endpoint or a proxy) points the send at the misbehaving provider.
describeFaultMatrix({
  connector: 'aliyun-dm',
  timeoutMs,
  secrets: [secret],
  operations: [
    {
      name: 'send',
      run: async (providerUrl) => {
        const connector = (await createAliyunDmConnector({
          getConfig: async () => ({
            // No prefix in common with the secret: the matrix refuses any 8 characters of it.
            accessKeyId: 'LTAI-public-key-id',
            accessKeySecret: secret,
            accountName: 'no-reply@mail.example.com',
            endpoint: providerUrl,
            timeout: timeoutMs,
            templates: [{ usageType: 'Generic', subject: 'Code', content: '{{code}}' }],
          }),
          getI18nEmailTemplate: async () => undefined,
        })) as EmailConnector;
        return connector.sendMessage({
          to: 'person@example.com',
          type: TemplateType.SignIn,
          payload: { code: '123456' },
        });
      },
    },
  ],
});
