import { describeFaultMatrix } from '@idplug/testing';
import { type EmailConnector, TemplateType } from '@logto/connector-kit';
import createPostmarkConnector from './index';

const serverToken = 'fault-matrix-postmark-token';
const timeoutMs = 1000;

// The endpoint override points the send at the misbehaving provider. A 200 is a sent message
// (its MessageID is read when it parses), so the faults that only garble a 200 body are not
// failures here.
describeFaultMatrix({
  connector: 'postmark',
  timeoutMs,
  secrets: [serverToken],
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
        const connector = (await createPostmarkConnector({
          getConfig: async () => ({
            serverToken,
            fromEmail: 'no-reply@example.com',
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
