import {
  type EmailApiEmulator,
  type MailboxAddress,
  type RecordedEmail,
  startAliyunDmEmulator,
  startAwsSesEmulator,
  startHttpEmailReceiver,
  startMailgunEmulator,
  startPostmarkEmulator,
  startSendGridEmulator,
  startSmtpSink,
} from '@idplug/emulators';
import type { ConnectorPreset, Inbox, ReceivedMail } from '../emulators';
import { isEmulatorUrl } from './configured-factory';
import { createFirstSeenClock } from './first-seen-clock';
import type { Started } from './start-together';

/** The email connectors' emulators and presets, each with an inbox of what it received. */

const smtpUser = 'playground';
const smtpPassword = 'playground-smtp-password';
const aliyunAccessKeyId = 'LTAIplaygroundEmulator';
const aliyunAccessKeySecret = 'playground-aliyun-access-key-secret';
const aliyunSender = 'no-reply@mail.example.com';
const sendGridApiKey = 'SG.playground-sendgrid-api-key';
const postmarkServerToken = 'playground-postmark-server-token';
const mailgunApiKey = 'playground-mailgun-api-key';
const mailgunDomain = 'mg.example.com';
const sender = 'no-reply@example.com';

/**
 * Templates for the email connectors that keep a `templates` list: an HTML `Generic` and
 * plain-text codes for some usage types, so a send shows both a type's template and the
 * Generic fallback.
 */
export const emailTemplates = [
  {
    usageType: 'Generic',
    contentType: 'text/html',
    subject: 'Your verification code',
    content:
      '<h2 style="font-family:sans-serif">Verification code</h2><p style="font-family:sans-serif">Your code is <strong>{{code}}</strong>. It expires in 10 minutes.</p>',
  },
  {
    usageType: 'SignIn',
    contentType: 'text/plain',
    subject: 'Your sign-in code',
    content: 'Your sign-in code is {{code}}. It expires in 10 minutes.',
  },
  {
    usageType: 'Register',
    contentType: 'text/plain',
    subject: 'Your sign-up code',
    content: 'Your sign-up code is {{code}}. It expires in 10 minutes.',
  },
  {
    usageType: 'ForgotPassword',
    contentType: 'text/html',
    subject: 'Reset your password',
    content: '<p>Your password reset code is <strong>{{code}}</strong>.</p>',
  },
];

/** The same templates as Mailgun's `deliveries`, keyed by usage type. */
const mailgunDeliveries = Object.fromEntries(
  emailTemplates.map(({ usageType, subject, content, contentType }) => [
    usageType,
    contentType === 'text/html'
      ? { subject, html: content }
      : { subject, html: `<p>${content}</p>`, text: content },
  ]),
);

const mailbox = (value: MailboxAddress | undefined) =>
  value === undefined ? '' : value.name ? `${value.name} <${value.address}>` : value.address;

export const startEmailEmulators = () => ({
  smtp: startSmtpSink({ auth: { user: smtpUser, pass: smtpPassword } }),
  aliyun: startAliyunDmEmulator({
    accounts: { [aliyunAccessKeyId]: aliyunAccessKeySecret },
    senders: [aliyunSender],
  }),
  ses: startAwsSesEmulator(),
  sendgrid: startSendGridEmulator({ apiKeys: [sendGridApiKey], senders: [sender] }),
  postmark: startPostmarkEmulator({ serverTokens: [postmarkServerToken], senders: [sender] }),
  mailgun: startMailgunEmulator({ apiKeys: [mailgunApiKey], domains: [mailgunDomain] }),
  httpEmail: startHttpEmailReceiver({ authorization: 'Bearer playground-http-email-token' }),
});

export type EmailEmulators = Started<ReturnType<typeof startEmailEmulators>>;

/** The inbox of an email API emulator (SendGrid, Postmark, Mailgun, HTTP email). */
const emailApiInbox = (
  receivedBy: string,
  messages: readonly RecordedEmail[],
  details: (email: RecordedEmail) => Record<string, string> = () => ({}),
): Inbox => ({
  messages: async () =>
    messages.map((email) => ({
      id: email.id,
      channel: 'email',
      receivedBy,
      receivedAt: email.receivedAt,
      from: email.from ?? '',
      to: email.to,
      subject: email.subject ?? '',
      html: email.html,
      text: email.text,
      ...(email.template && { providerTemplate: email.template.name }),
      details: {
        'Message id': email.id,
        ...(email.replyTo && { 'Reply-To': email.replyTo }),
        ...details(email),
      },
    })),
});

/** An email API emulator reached through the connector's `endpoint` (SendGrid, Postmark, Mailgun). */
const emailApiPreset = (
  metadataId: string,
  emulatorName: string,
  emulator: EmailApiEmulator & { config: Record<string, unknown> },
  templates: Record<string, unknown>,
): [string, ConnectorPreset] => [
  metadataId,
  {
    emulatorName,
    config: { ...emulator.config, ...templates },
    usesEmulator: (config) => isEmulatorUrl(config.endpoint, emulator.url),
    inbox: emailApiInbox(`${emulatorName} at ${emulator.url}`, emulator.messages),
    emulatorUrl: emulator.url,
  },
];

export const emailPresets = ({
  smtp,
  aliyun,
  ses,
  sendgrid,
  postmark,
  mailgun,
  httpEmail,
}: EmailEmulators): Array<[string, ConnectorPreset]> => {
  // The SMTP sink and the SES emulator (whole seconds) keep no precise time of arrival.
  const smtpClock = createFirstSeenClock();
  const sesClock = createFirstSeenClock();
  const smtpInbox: Inbox = {
    messages: async () =>
      smtp.messages.map(
        (message, index): ReceivedMail => ({
          id: `smtp-${index + 1}`,
          channel: 'email',
          receivedBy: `SMTP sink on ${smtp.host}:${smtp.port}`,
          receivedAt: smtpClock(message),
          from: mailbox(message.from),
          to: message.to.map(mailbox),
          subject: message.subject,
          html: message.html,
          text: message.text,
          details: {
            'Envelope from': message.envelope.from,
            'Envelope to': message.envelope.to.join(', '),
            'Authenticated as': message.authUser ?? '(no AUTH)',
            TLS: message.secure ? 'yes' : 'no (loopback)',
            'Message-ID': message.headers['message-id'] ?? '',
          },
        }),
      ),
  };
  const aliyunInbox: Inbox = {
    messages: async () =>
      aliyun.mails.map(
        (mail, index): ReceivedMail => ({
          id: `aliyun-dm-${index + 1}`,
          channel: 'email',
          receivedBy: `Aliyun Direct Mail emulator at ${aliyun.url}`,
          receivedAt: mail.receivedAt,
          from: mail.fromAlias ? `${mail.fromAlias} <${mail.accountName}>` : mail.accountName,
          to: mail.toAddress,
          subject: mail.subject,
          html: mail.htmlBody,
          text: mail.textBody,
          details: {
            Action: mail.params.Action ?? '',
            'HTTP method': mail.method,
            AccessKeyId: mail.accessKeyId,
            Signature: `${mail.params.SignatureMethod ?? ''} ${mail.params.SignatureVersion ?? ''}, verified by the emulator`,
            RequestId: mail.requestId,
          },
        }),
      ),
  };
  const sesInbox: Inbox = {
    messages: async () =>
      (await ses.messages()).map(
        (email): ReceivedMail => ({
          id: `ses-${email.messageId}`,
          channel: 'email',
          receivedBy: `Amazon SES emulator (aws-ses-v2-local) at ${ses.url}`,
          receivedAt: sesClock(email.messageId),
          from: email.from,
          to: email.destination.to,
          subject: email.subject,
          html: email.body.html,
          text: email.body.text,
          details: {
            MessageId: email.messageId,
            ...(email.replyTo.length > 0 && { 'Reply-To': email.replyTo.join(', ') }),
          },
        }),
      ),
  };
  const sesAccessKeyId = String(ses.config.accessKeyId);

  return [
    [
      'simple-mail-transfer-protocol',
      {
        emulatorName: 'SMTP sink (smtp-server)',
        config: {
          host: smtp.host,
          port: smtp.port,
          auth: { type: 'login', user: smtpUser, pass: smtpPassword },
          fromEmail: '"idplug playground" <playground@example.com>',
          templates: emailTemplates,
          // The SMTP conversation is the SMTP connector's request timeline: record it from the
          // first send (the playground captures it for the page; nothing goes to the terminal).
          logger: true,
          debug: true,
        },
        usesEmulator: (config) => config.host === smtp.host && config.port === smtp.port,
        inbox: smtpInbox,
      },
    ],
    [
      'aliyun-direct-mail',
      {
        emulatorName: 'Aliyun Direct Mail emulator (checks signatures)',
        config: {
          accessKeyId: aliyunAccessKeyId,
          accessKeySecret: aliyunAccessKeySecret,
          regionId: 'cn-hangzhou',
          accountName: aliyunSender,
          fromAlias: 'idplug',
          endpoint: aliyun.url,
          templates: emailTemplates.map(({ usageType, subject, content }) => ({
            usageType,
            subject,
            content,
          })),
        },
        usesEmulator: (config) => config.endpoint === aliyun.url,
        inbox: aliyunInbox,
        emulatorUrl: aliyun.url,
      },
    ],
    [
      'aws-ses-mail',
      {
        emulatorName: 'Amazon SES emulator (aws-ses-v2-local)',
        config: { ...ses.config, templates: emailTemplates },
        // SES's `endpoint` has no form item: the emulator's access key id stands for it.
        usesEmulator: (config) => config.accessKeyId === sesAccessKeyId,
        formlessConfig: { endpoint: ses.url },
        inbox: sesInbox,
      },
    ],
    emailApiPreset('sendgrid-email-service', 'SendGrid emulator (Mail Send v3)', sendgrid, {
      // `type`, the official connector's name for the content type: a config stored by
      // @logto/connector-sendgrid-email looks like this, and compare mode runs both on it.
      templates: emailTemplates.map(({ contentType, ...template }) => ({
        ...template,
        type: contentType,
      })),
    }),
    emailApiPreset('postmark-mail', 'Postmark emulator', postmark, { templates: emailTemplates }),
    emailApiPreset('mailgun-email', 'Mailgun emulator', mailgun, { deliveries: mailgunDeliveries }),
    [
      'http-email',
      {
        emulatorName: 'HTTP email receiver',
        config: httpEmail.config,
        usesEmulator: (config) => isEmulatorUrl(config.endpoint, httpEmail.endpoint),
        emulatorUrl: httpEmail.url,
        inbox: emailApiInbox(
          `HTTP email receiver at ${httpEmail.endpoint}`,
          httpEmail.messages,
          (email): Record<string, string> => {
            const { type } = (email.body ?? {}) as { type?: unknown };
            return typeof type === 'string' ? { 'Usage type in the body': type } : {};
          },
        ),
      },
    ],
  ];
};
