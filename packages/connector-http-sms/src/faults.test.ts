import { describeSendFaultMatrix, faults, smsTestMessage } from '@idplug/testing';
import createHttpSmsConnector from './index';

const authorization = 'Bearer fault-matrix-receiver-token';
const signingSecret = 'fault-matrix-signing-secret-0123';

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

describeSendFaultMatrix({
  connector: 'http-sms',
  create: createHttpSmsConnector,
  faults: faults.filter((fault) => !bodyShapeFaults.has(fault)),
  secrets: [authorization, signingSecret],
  message: smsTestMessage,
  config: (endpoint, timeout) => ({ endpoint, authorization, signingSecret, timeout }),
});
