import { describeFaultMatrix } from '@idplug/testing';
import { type EmailConnector, TemplateType } from '@logto/connector-kit';
import createSendGridConnector from './index';

const apiKey = 'SG.fault-matrix-api-key';
const timeoutMs = 1000;

// The endpoint override points the send at the misbehaving provider. SendGrid's success is a 202
// whose body is not read, so the faults that only garble a 200 body are not failures here.
describeFaultMatrix({
  connector: 'sendgrid',
  timeoutMs,
  secrets: [apiKey],
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
        const connector = (await createSendGridConnector({
          getConfig: async () => ({
            apiKey,
            fromEmail: 'no-reply@example.com',
            endpoint: providerUrl,
            timeout: timeoutMs,
            templates: [
              { usageType: 'Generic', type: 'text/plain', subject: 'Code', content: '{{code}}' },
            ],
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
