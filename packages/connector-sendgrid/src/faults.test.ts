import { describeSendFaultMatrix, emailTestMessage, sendFailureFaults } from '@idplug/testing';
import createSendGridConnector from './index';

const apiKey = 'SG.fault-matrix-api-key';

// The endpoint override points the send at the misbehaving provider. SendGrid's success is a 202
// whose body is not read.
describeSendFaultMatrix({
  connector: 'sendgrid',
  create: createSendGridConnector,
  secrets: [apiKey],
  faults: sendFailureFaults,
  message: emailTestMessage,
  config: (endpoint, timeout) => ({
    apiKey,
    fromEmail: 'no-reply@example.com',
    endpoint,
    timeout,
    templates: [{ usageType: 'Generic', type: 'text/plain', subject: 'Code', content: '{{code}}' }],
  }),
});
