import { describeFaultMatrix } from '@idplug/testing';
import { type EmailConnector, TemplateType } from '@logto/connector-kit';
import createHttpEmailConnector from './index';

const token = 'fault-matrix-authorization-token';
const signingSecret = 'fault-matrix-signing-secret';
const timeoutMs = 1000;

describeFaultMatrix({
  connector: 'http-email',
  timeoutMs,
  secrets: [token, signingSecret],
  // A receiver's 2xx is a delivered message whatever its body (the official connector reads no
  // body either), so the faults that only garble a 200 body are not failures here.
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
        const connector = (await createHttpEmailConnector({
          getConfig: async () => ({
            endpoint: `${providerUrl}/logto/email`,
            authorization: `Bearer ${token}`,
            signingSecret,
            timeout: timeoutMs,
          }),
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
