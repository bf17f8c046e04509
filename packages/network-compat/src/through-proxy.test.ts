import createAliyunDmConnector from '@idplug/connector-aliyun-dm';
import createAliyunSmsConnector from '@idplug/connector-aliyun-sms';
import createAwsSesConnector from '@idplug/connector-aws-ses';
import createHttpEmailConnector from '@idplug/connector-http-email';
import createHttpSmsConnector from '@idplug/connector-http-sms';
import createMailgunConnector from '@idplug/connector-mailgun';
import createPostmarkConnector from '@idplug/connector-postmark';
import createSendGridConnector from '@idplug/connector-sendgrid';
import createSmtpConnector from '@idplug/connector-smtp';
import createTwilioSmsConnector from '@idplug/connector-twilio-sms';
import {
  startAliyunDmEmulator,
  startAliyunSmsEmulator,
  startAwsSesEmulator,
  startHttpEmailReceiver,
  startHttpReceiver,
  startMailgunEmulator,
  startPostmarkEmulator,
  startSendGridEmulator,
  startSmtpSink,
  startTwilioEmulator,
} from '@idplug/emulators';
import {
  type AllConnector,
  ConnectorError,
  type CreateConnector,
  type EmailConnector,
  type SmsConnector,
  TemplateType,
} from '@logto/connector-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CountingProxy, saveProxyEnvironment, startCountingProxy } from './counting-proxy';

/**
 * Every message connector, each against its own emulator on loopback, through a real proxy
 * (proxy-chain) that records every request it carries: once with `network.proxy` in the config,
 * once with only HTTPS_PROXY / HTTP_PROXY in the environment. Each send is one request to the
 * provider, so the proxy must have carried exactly one per send, and the emulator received it.
 * The emulators are shared by both modes (started once), and nothing waits on a clock.
 */

type Scenario = {
  name: string;
  create: CreateConnector<AllConnector>;
  config: Record<string, unknown>;
  to: string;
  /** What the emulator received so far. */
  received: () => Promise<number> | number;
  /** The connections a send makes to the provider (SMTP: one CONNECT; HTTP: one request). */
  viaConnect?: boolean;
};

const proxyUser = 'proxy-user';
const proxyPassword = 'proxy-password-never-in-errors';
const scenarios: Scenario[] = [];
const stops: Array<() => Promise<void>> = [];
let proxy: CountingProxy;

beforeAll(async () => {
  proxy = await startCountingProxy({ user: proxyUser, password: proxyPassword });
  const [ses, sendGrid, postmark, mailgun, httpEmail, httpSms, twilio, aliyunSms, aliyunDm, smtp] =
    await Promise.all([
      startAwsSesEmulator(),
      startSendGridEmulator({ apiKeys: ['SG.emulator-api-key'] }),
      startPostmarkEmulator({ serverTokens: ['postmark-emulator-token'] }),
      startMailgunEmulator({ apiKeys: ['mailgun-emulator-key'] }),
      startHttpEmailReceiver(),
      startHttpReceiver(),
      startTwilioEmulator(),
      startAliyunSmsEmulator(),
      startAliyunDmEmulator({
        accounts: { LTAIemulatorKey: 'aliyun-emulator-secret' },
        senders: ['no-reply@mail.example.com'],
      }),
      startSmtpSink({ auth: { user: 'smtp-user', pass: 'smtp-password' }, tls: 'implicit' }),
    ]);
  stops.push(
    ...[
      ses,
      sendGrid,
      postmark,
      mailgun,
      httpEmail,
      httpSms,
      twilio,
      aliyunSms,
      aliyunDm,
      smtp,
    ].map((emulator) => () => emulator.stop()),
  );
  const email = 'user@example.com';
  const phone = '+8613800000000';
  scenarios.push(
    {
      name: 'aws-ses',
      create: createAwsSesConnector,
      config: ses.config,
      to: email,
      received: async () => (await ses.messages()).length,
    },
    {
      name: 'sendgrid',
      create: createSendGridConnector,
      config: sendGrid.config,
      to: email,
      received: () => sendGrid.messages.length,
    },
    {
      name: 'postmark',
      create: createPostmarkConnector,
      config: postmark.config,
      to: email,
      received: () => postmark.messages.length,
    },
    {
      name: 'mailgun',
      create: createMailgunConnector,
      config: mailgun.config,
      to: email,
      received: () => mailgun.messages.length,
    },
    {
      name: 'http-email',
      create: createHttpEmailConnector,
      config: httpEmail.config,
      to: email,
      received: () => httpEmail.messages.length,
    },
    {
      name: 'http-sms',
      create: createHttpSmsConnector,
      config: httpSms.connectorConfig,
      to: phone,
      received: () => httpSms.messages.length,
    },
    {
      name: 'twilio-sms',
      create: createTwilioSmsConnector,
      config: twilio.connectorConfig,
      to: phone,
      received: () => twilio.inbox.length,
    },
    {
      name: 'aliyun-sms',
      create: createAliyunSmsConnector,
      config: aliyunSms.connectorConfig,
      to: phone,
      received: () => aliyunSms.inbox.length,
    },
    {
      name: 'aliyun-dm',
      create: createAliyunDmConnector,
      config: {
        accessKeyId: 'LTAIemulatorKey',
        accessKeySecret: 'aliyun-emulator-secret',
        accountName: 'no-reply@mail.example.com',
        endpoint: aliyunDm.url,
        templates: [{ usageType: 'Generic', subject: 'Code', content: 'Your code is {{code}}' }],
      },
      to: email,
      received: () => aliyunDm.mails.length,
    },
    {
      name: 'smtp',
      create: createSmtpConnector,
      config: {
        host: smtp.host,
        port: smtp.port,
        secure: true,
        // TLS to the mail server runs inside the tunnel, checked against the sink's own CA.
        tls: { ca: smtp.tls?.ca },
        auth: { user: 'smtp-user', pass: 'smtp-password' },
        fromEmail: 'no-reply@example.com',
        templates: [{ usageType: 'Generic', subject: 'Code', content: 'Your code is {{code}}' }],
      },
      to: email,
      received: () => smtp.messages.length,
      viaConnect: true,
    },
  );
});

const restoreEnvironment = saveProxyEnvironment();

afterEach(() => {
  restoreEnvironment();
  proxy.reset();
});

afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
  await proxy.stop();
});

const send = async (scenario: Scenario, config: Record<string, unknown>) => {
  const connector = (await scenario.create({
    getConfig: async () => config,
    getI18nEmailTemplate: async () => undefined,
  } as never)) as EmailConnector | SmsConnector;
  await connector.sendMessage({
    to: scenario.to,
    type: TemplateType.Generic,
    payload: { code: '123456' },
  });
};

/** One send, through the proxy: exactly one request (or tunnel) carried, one message received. */
const sendsThroughProxy = async (scenario: Scenario, config: Record<string, unknown>) => {
  const before = await scenario.received();
  proxy.reset();
  await send(scenario, config);
  expect(await scenario.received(), `${scenario.name}: the emulator received the message`).toBe(
    before + 1,
  );
  expect(
    scenario.viaConnect ? proxy.connects : proxy.forwarded,
    `${scenario.name}: the proxy carried the request`,
  ).toHaveLength(1);
  expect(scenario.viaConnect ? proxy.forwarded : proxy.connects).toEqual([]);
};

describe('every message connector through a loopback proxy', () => {
  it('sends through network.proxy (with proxy credentials) in each connector', async () => {
    for (const scenario of scenarios) {
      await sendsThroughProxy(scenario, {
        ...scenario.config,
        network: { proxy: proxy.urlWithCredentials },
      });
    }
  });

  it('sends through HTTPS_PROXY / HTTP_PROXY from the environment in each connector', async () => {
    process.env.HTTPS_PROXY = proxy.urlWithCredentials;
    process.env.HTTP_PROXY = proxy.urlWithCredentials;
    for (const scenario of scenarios) {
      await sendsThroughProxy(scenario, scenario.config);
    }
  });

  it('goes direct for NO_PROXY hosts', async () => {
    process.env.HTTPS_PROXY = proxy.urlWithCredentials;
    process.env.HTTP_PROXY = proxy.urlWithCredentials;
    process.env.NO_PROXY = '127.0.0.1';
    for (const scenario of scenarios) {
      const before = await scenario.received();
      // SMTP keeps a pool per transport config: another EHLO name makes a new one, so a new
      // connection is opened (directly) rather than one tunnelled by an earlier test reused.
      await send(
        scenario,
        scenario.viaConnect ? { ...scenario.config, name: 'bypass.example' } : scenario.config,
      );
      expect(await scenario.received(), scenario.name).toBe(before + 1);
    }
    expect(proxy.connects).toEqual([]);
    expect(proxy.forwarded).toEqual([]);
  });

  it('answers a 407 with invalid_config, and shows no proxy credential in any connector', async () => {
    const wrong = `http://${proxyUser}:wrong-${proxyPassword}@127.0.0.1:${proxy.port}`;
    for (const scenario of scenarios) {
      const error = await send(scenario, { ...scenario.config, network: { proxy: wrong } }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, scenario.name).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code, scenario.name).toBe('invalid_config');
      const shown = `${(error as Error).message} ${JSON.stringify((error as ConnectorError).data)}`;
      expect(shown, scenario.name).toContain(`the proxy 127.0.0.1:${proxy.port}`);
      expect(shown, scenario.name).not.toContain(proxyPassword.slice(0, 8));
      expect(shown, scenario.name).not.toContain(proxyUser);
    }
  });

  it('names a proxy that refuses the connection, in each connector', async () => {
    const port = await proxy.closedPort();
    for (const scenario of scenarios) {
      const error = await send(scenario, {
        ...scenario.config,
        network: { proxy: `http://${proxyUser}:${proxyPassword}@127.0.0.1:${port}` },
      }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, scenario.name).toBeInstanceOf(ConnectorError);
      const shown = `${(error as Error).message} ${JSON.stringify((error as ConnectorError).data)}`;
      expect(shown, scenario.name).toContain(`the proxy 127.0.0.1:${port} refused the connection`);
      expect(shown, scenario.name).not.toContain(proxyPassword.slice(0, 8));
    }
  });
});
