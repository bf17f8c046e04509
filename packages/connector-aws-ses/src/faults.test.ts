import { describeFaultMatrix } from '@idplug/testing';
import { type EmailConnector, TemplateType } from '@logto/connector-kit';
import createAwsSesConnector from './index';

const secret = 'fault-matrix-aws-secret-access-key';
const timeoutMs = 1000;

// The endpoint override (VPC endpoints, emulators) points the send at the misbehaving provider.
// A 200 is a sent message (its MessageId is read when the body parses), so the faults that only
// garble a 200 body are not failures here.
describeFaultMatrix({
  connector: 'aws-ses',
  timeoutMs,
  secrets: [secret],
  faults: [
    'no-response',
    'slow-body',
    'reset-mid-body',
    'html-500',
    'html-502',
    'html-503',
    'rate-limited',
    'oversized-body',
    'redirect-loop',
  ],
  operations: [
    {
      name: 'send',
      run: async (providerUrl) => {
        const connector = (await createAwsSesConnector({
          getConfig: async () => ({
            accessKeyId: 'AKIAFAULTMATRIX0000',
            accessKeySecret: secret,
            region: 'us-east-1',
            emailAddress: 'no-reply@example.com',
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
