import { describeSendFaultMatrix, emailTestMessage, sendFailureFaults } from '@idplug/testing';
import createPostmarkConnector from './index';

const serverToken = 'fault-matrix-postmark-token';

// The endpoint override points the send at the misbehaving provider. A 200 is a sent message (its
// MessageID is read when it parses).
describeSendFaultMatrix({
  connector: 'postmark',
  create: createPostmarkConnector,
  secrets: [serverToken],
  faults: sendFailureFaults,
  message: emailTestMessage,
  config: (endpoint, timeout) => ({
    serverToken,
    fromEmail: 'no-reply@example.com',
    endpoint,
    timeout,
    templates: [{ usageType: 'Generic', subject: 'Code', content: '{{code}}' }],
  }),
});
