import { describeSendFaultMatrix, emailTestMessage, sendFailureFaults } from '@idplug/testing';
import createMailgunConnector from './index';

const apiKey = 'fault-matrix-mailgun-key';

// The endpoint points the send at the misbehaving provider. A 200 is a queued message (its id is
// read when the body parses).
describeSendFaultMatrix({
  connector: 'mailgun',
  create: createMailgunConnector,
  secrets: [apiKey],
  faults: sendFailureFaults,
  message: emailTestMessage,
  config: (endpoint, timeout) => ({
    endpoint,
    domain: 'mg.example.com',
    apiKey,
    from: 'no-reply@mg.example.com',
    timeout,
    deliveries: { Generic: { subject: 'Code', html: '{{code}}' } },
  }),
});
