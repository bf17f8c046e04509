import { describeFaultMatrix } from '@idplug/testing';
import { type EmailConnector, TemplateType } from '@logto/connector-kit';
import createMailgunConnector from './index';

const apiKey = 'fault-matrix-mailgun-key';
const timeoutMs = 1000;

// The endpoint points the send at the misbehaving provider. A 200 is a queued message (its id
// is read when the body parses), so the faults that only garble a 200 body are not failures here.
describeFaultMatrix({
  connector: 'mailgun',
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
        const connector = (await createMailgunConnector({
          getConfig: async () => ({
            endpoint: providerUrl,
            domain: 'mg.example.com',
            apiKey,
            from: 'no-reply@mg.example.com',
            timeout: timeoutMs,
            deliveries: { Generic: { subject: 'Code', html: '{{code}}' } },
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
