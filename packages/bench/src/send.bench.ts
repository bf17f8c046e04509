/**
 * SMS and email API sends, side by side (issues 16, 17): each idplug connector (built, as Logto
 * loads it) and the official `@logto/connector-*` it replaces send the same message, one at a time
 * on one warm process, to ONE local HTTPS stub answering at the provider's real URL through a TCP
 * proxy that adds 10 ms each way (see provider-stub.ts: every HTTPS connection of the process is
 * routed there, whatever host it was meant for). For each send it counts the HTTP requests the
 * provider saw and the new TCP connections, and times `sendMessage` from call to return.
 *
 * One scenario per connector: its config (as in packages/differential), the message, and the
 * provider's answer. The stub answers every request with success; the differential tests, not
 * this benchmark, check that both sides send the same thing.
 *
 *   pnpm --filter @idplug/bench bench:send [--runs 30] [--warmup 3] [--only Twilio,Postmark]
 *
 * A benchmark, not a test: numbers depend on the machine and its load.
 */
import createOfficialAliyunSms from '@logto/connector-aliyun-sms';
import createOfficialAwsSes from '@logto/connector-aws-ses';
import createOfficialHttpEmail from '@logto/connector-http-email';
import createOfficialHttpSms from '@logto/connector-http-sms';
import type { EmailConnector, SmsConnector } from '@logto/connector-kit';
import createOfficialMailgun from '@logto/connector-mailgun';
import createOfficialPostmark from '@logto/connector-postmark';
import createOfficialSendGrid from '@logto/connector-sendgrid-email';
import createOfficialTwilio from '@logto/connector-twilio-sms';
// The built packages, exactly as Logto loads them.
import createIdplugAliyunSms from '../../connector-aliyun-sms/lib/index.js';
import createIdplugAwsSes from '../../connector-aws-ses/lib/index.js';
import createIdplugHttpEmail from '../../connector-http-email/lib/index.js';
import createIdplugHttpSms from '../../connector-http-sms/lib/index.js';
import createIdplugMailgun from '../../connector-mailgun/lib/index.js';
import createIdplugPostmark from '../../connector-postmark/lib/index.js';
import createIdplugSendGrid from '../../connector-sendgrid/lib/index.js';
import createIdplugTwilio from '../../connector-twilio-sms/lib/index.js';
import { runSideBySidePart, type Scenario } from './side-by-side';

type Sender = SmsConnector | EmailConnector;

type SendScenario = Scenario<Sender> & {
  message: { to: string; type: string; payload: Record<string, unknown> };
};

// The official guards insist on these four usage types.
const usageTypes = ['SignIn', 'Register', 'ForgotPassword', 'Generic'] as const;
const smsMessage = { to: '4512345678', type: 'SignIn', payload: { code: '123456' } };
const emailMessage = {
  to: 'ada@example.com',
  type: 'SignIn',
  payload: { code: '123456', application: { name: 'Example' } },
};

const scenarios: SendScenario[] = [
  {
    name: 'Twilio SMS',
    idplug: createIdplugTwilio,
    official: createOfficialTwilio,
    config: {
      accountSID: 'AC0123456789abcdef0123456789abcdef',
      authToken: 'bench-auth-token',
      fromMessagingServiceSID: 'MG0123456789abcdef0123456789abcdef',
      templates: usageTypes.map((usageType) => ({
        usageType,
        content: `Your code is {{code}}`,
      })),
    },
    message: smsMessage,
    routes: [
      {
        method: 'POST',
        url: /^api\.twilio\.com\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/,
        answer: () => ({ status: 201, json: { sid: 'SM0123', status: 'accepted' } }),
      },
    ],
  },
  {
    name: 'Aliyun SMS',
    idplug: createIdplugAliyunSms,
    official: createOfficialAliyunSms,
    config: {
      accessKeyId: 'LTAI-bench',
      accessKeySecret: 'bench-access-key-secret',
      signName: 'idplug',
      templates: usageTypes.map((usageType) => ({ usageType, templateCode: 'SMS_ONE' })),
    },
    message: smsMessage,
    routes: [
      {
        url: /^dysmsapi\.aliyuncs\.com\/$/,
        answer: () => ({
          json: { Code: 'OK', Message: 'OK', BizId: '1', RequestId: 'BENCH-REQUEST' },
        }),
      },
    ],
  },
  {
    name: 'HTTP SMS',
    idplug: createIdplugHttpSms,
    official: createOfficialHttpSms,
    config: { endpoint: 'https://sms.bench.example/logto/sms', authorization: 'Bearer bench' },
    message: smsMessage,
    routes: [
      { method: 'POST', url: /^sms\.bench\.example\/logto\/sms$/, answer: () => ({ json: {} }) },
    ],
  },
  {
    name: 'AWS SES',
    idplug: createIdplugAwsSes,
    official: createOfficialAwsSes,
    config: {
      accessKeyId: 'AKIABENCH00000000000',
      accessKeySecret: 'bench-secret-access-key',
      region: 'us-east-1',
      emailAddress: 'no-reply@example.com',
      templates: usageTypes.map((usageType) => ({
        usageType,
        subject: `${usageType}: {{code}}.`,
        content: `<p>Code <b>{{code}}</b> for {{application.name}}</p>`,
      })),
    },
    message: emailMessage,
    routes: [
      {
        method: 'POST',
        url: /^email\.us-east-1\.amazonaws\.com\/v2\/email\/outbound-emails$/,
        answer: () => ({ json: { MessageId: 'bench-message' } }),
      },
    ],
  },
  {
    name: 'SendGrid',
    idplug: createIdplugSendGrid,
    official: createOfficialSendGrid,
    config: {
      apiKey: 'SG.bench-key',
      fromEmail: 'no-reply@example.com',
      templates: usageTypes.map((usageType) => ({
        usageType,
        type: 'text/html',
        subject: `${usageType}: {{code}}.`,
        content: `<p>Your code is <b>{{code}}</b>, {{application.name}}.</p>`,
      })),
    },
    message: emailMessage,
    routes: [
      {
        method: 'POST',
        url: /^api\.sendgrid\.com\/v3\/mail\/send$/,
        answer: () => ({ status: 202 }),
      },
    ],
  },
  {
    name: 'Postmark',
    idplug: createIdplugPostmark,
    official: createOfficialPostmark,
    config: {
      serverToken: 'bench-postmark-token',
      fromEmail: 'no-reply@example.com',
      templates: usageTypes.map((usageType) => ({
        usageType,
        templateAlias: `logto-${usageType.toLowerCase()}`,
      })),
    },
    message: emailMessage,
    routes: [
      {
        method: 'POST',
        url: /^api\.postmarkapp\.com\/email\/withTemplate$/,
        answer: () => ({
          json: {
            To: emailMessage.to,
            SubmittedAt: new Date().toISOString(),
            MessageID: 'bench-message',
            ErrorCode: 0,
            Message: 'OK',
          },
        }),
      },
    ],
  },
  {
    name: 'Mailgun',
    idplug: createIdplugMailgun,
    official: createOfficialMailgun,
    config: {
      domain: 'mg.example.com',
      apiKey: 'bench-mailgun-key',
      from: 'Example <no-reply@mg.example.com>',
      deliveries: {
        SignIn: {
          subject: 'Sign in: {{code}}.',
          html: '<p>Your code is <b>{{code}}</b> for {{application.name}}</p>',
        },
        Generic: { subject: 'Code {{code}}.', html: '<p>{{code}}</p>', text: 'Code {{code}}' },
      },
    },
    message: emailMessage,
    routes: [
      {
        method: 'POST',
        url: /^api\.mailgun\.net\/v3\/mg\.example\.com\/messages$/,
        answer: () => ({ json: { id: '<1@mg>', message: 'Queued. Thank you.' } }),
      },
    ],
  },
  {
    name: 'HTTP email',
    idplug: createIdplugHttpEmail,
    official: createOfficialHttpEmail,
    config: { endpoint: 'https://mailer.bench.example/logto/email', authorization: 'Bearer bench' },
    message: emailMessage,
    routes: [
      {
        method: 'POST',
        url: /^mailer\.bench\.example\/logto\/email$/,
        answer: () => ({ json: {} }),
      },
    ],
  },
];

await runSideBySidePart<Sender, SendScenario>({
  part: 'send',
  operation: 'send',
  scenarios,
  operate: async (scenario, connector) => {
    const started = performance.now();
    await connector.sendMessage(scenario.message as never);
    return performance.now() - started;
  },
  method: ({ runs, warmup }) =>
    `median of ${runs} sends per connector on one warm process (after ${warmup} warm-up sends), alternating order, the same message and config on both sides; one local HTTPS stub answering at each provider's real URL behind a TCP proxy adding 10 ms each way, every HTTPS connection of the process routed to it (fetch and node:https alike)`,
});
