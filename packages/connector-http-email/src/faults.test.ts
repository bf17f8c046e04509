import { describeSendFaultMatrix, emailTestMessage, sendFailureFaults } from '@idplug/testing';
import createHttpEmailConnector from './index';

const token = 'fault-matrix-authorization-token';
const signingSecret = 'fault-matrix-signing-secret';

// A receiver's 2xx is a delivered message whatever its body (the official connector reads no body
// either).
describeSendFaultMatrix({
  connector: 'http-email',
  create: createHttpEmailConnector,
  secrets: [token, signingSecret],
  faults: sendFailureFaults,
  message: emailTestMessage,
  config: (providerUrl, timeout) => ({
    endpoint: `${providerUrl}/logto/email`,
    authorization: `Bearer ${token}`,
    signingSecret,
    timeout,
  }),
});
