import { describeSendFaultMatrix, emailTestMessage, sendFailureFaults } from '@idplug/testing';
import createAwsSesConnector from './index';

const secret = 'fault-matrix-aws-secret-access-key';

// The endpoint override (VPC endpoints, emulators) points the send at the misbehaving provider.
// A 200 is a sent message (its MessageId is read when the body parses).
describeSendFaultMatrix({
  connector: 'aws-ses',
  create: createAwsSesConnector,
  secrets: [secret],
  faults: sendFailureFaults,
  message: emailTestMessage,
  config: (endpoint, timeout) => ({
    accessKeyId: 'AKIAFAULTMATRIX0000',
    accessKeySecret: secret,
    region: 'us-east-1',
    emailAddress: 'no-reply@example.com',
    endpoint,
    timeout,
    templates: [{ usageType: 'Generic', subject: 'Code', content: '{{code}}' }],
  }),
});
