import { describeFaultMatrix, faults } from '@idplug/testing';
import type { SmsConnector } from '@logto/connector-kit';
import createHttpSmsConnector from './index';

const authorization = 'Bearer fault-matrix-receiver-token';
const signingSecret = 'fault-matrix-signing-secret-0123';
const timeoutMs = 1000;

// Any complete 2xx answer is a sent message, whatever its body (as with the official connector):
// the receiver owes no JSON, so the body-shape faults are successes here, not failures.
const bodyShapeFaults = new Set([
  'invalid-json',
  'json-array',
  'json-null',
  'wrong-content-type',
  // An OAuth token answer with an unknown token type: to a receiver that owes no body, a 200.
  'token-type-mac',
]);

describeFaultMatrix({
  connector: 'http-sms',
  faults: faults.filter((fault) => !bodyShapeFaults.has(fault)),
  timeoutMs,
  secrets: [authorization, signingSecret],
  operations: [
    {
      name: 'send',
      run: async (providerUrl) => {
        const connector = (await createHttpSmsConnector({
          getConfig: async () => ({
            endpoint: providerUrl,
            authorization,
            signingSecret,
            timeout: timeoutMs,
          }),
        })) as SmsConnector;
        return connector.sendMessage({
          to: '4512345678',
          type: 'SignIn' as never,
          payload: { code: '123456' },
        });
      },
    },
  ],
});
