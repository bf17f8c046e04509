import { usageLimitExceededCode } from '@idplug/base';
import {
  type AliyunDmForcedError,
  aliyunDmHandlers,
  createAliyunDmBackend,
  startAliyunDmEmulator,
} from '@idplug/emulators';
import { useProviderMock } from '@idplug/testing';
import {
  ConnectorError,
  ConnectorErrorCodes,
  type EmailConnector,
  type GetI18nEmailTemplate,
  TemplateType,
} from '@logto/connector-kit';
import { HttpResponse, http, passthrough } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AliyunDmConfig } from './config';
import { regionIds, regions } from './constants';
import createAliyunDmConnector from './index';

// The emulator verifies every request's signature with its own implementation of Alibaba's
// documented algorithm (packages/emulators/src/aliyun-dm.ts), not the connector's.
const accessKeyId = 'LTAI5tEmulatorKeyId';
const accessKeySecret = 'emulator-access-key-secret-0123456789';
const sender = 'no-reply@mail.example.com';

const backend = createAliyunDmBackend({
  accounts: { [accessKeyId]: accessKeySecret },
  senders: [sender],
});
const mock = useProviderMock(...aliyunDmHandlers(backend));
afterEach(() => backend.reset());

const baseConfig: AliyunDmConfig = {
  accessKeyId,
  accessKeySecret,
  accountName: sender,
  templates: [
    { usageType: 'SignIn', subject: 'Sign-in code', content: 'Your sign-in code is {{code}}.' },
    {
      usageType: 'Register',
      subject: 'Welcome',
      content: '<p>Your code is <b>{{code}}</b> for {{application.name}}</p>',
      contentType: 'text/html',
    },
    { usageType: 'Generic', subject: 'Your code', content: 'Code: {{code}}' },
  ],
};

const load = (
  config: unknown = baseConfig,
  getI18nEmailTemplate: GetI18nEmailTemplate = async () => undefined,
) =>
  createAliyunDmConnector({
    getConfig: async () => config,
    getI18nEmailTemplate,
  }) as Promise<EmailConnector>;

const send = async (
  data: { to?: string; type?: string; payload?: Record<string, unknown> } = {},
  config: unknown = baseConfig,
) =>
  (await load(config)).sendMessage({
    to: 'person@example.com',
    type: TemplateType.SignIn,
    payload: { code: '123456' },
    ...data,
  } as never);

const failure = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
};

const messageOf = (error: ConnectorError) => (error.data as { message: string }).message;

/** Nothing an error carries may contain the secret, in any encoding a request used. */
const expectNoSecret = (error: ConnectorError) => {
  const text = `${error.message}\n${JSON.stringify(error.data)}`;
  for (const form of [
    accessKeySecret,
    encodeURIComponent(accessKeySecret),
    Buffer.from(accessKeySecret).toString('base64'),
  ]) {
    expect(text).not.toContain(form);
  }
};

describe('sending through SingleSendMail', () => {
  it.each(regionIds)(
    'sends to the %s endpoint, signed, and returns EnvId and RequestId',
    async (regionId) => {
      const result = await send({}, { ...baseConfig, regionId });
      expect(backend.mails).toHaveLength(1);
      const [mail] = backend.mails;
      expect(mail?.region).toBe(regionId);
      expect(mail?.host).toBe(regions[regionId].host);
      expect(mail?.params).toMatchObject({
        Action: 'SingleSendMail',
        Version: '2015-11-23',
        Format: 'JSON',
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        AccessKeyId: accessKeyId,
        RegionId: regionId,
        AccountName: sender,
        AddressType: '1',
        ReplyToAddress: 'false',
        ToAddress: 'person@example.com',
        Subject: 'Sign-in code',
      });
      expect(result).toEqual({ EnvId: mail?.envId, RequestId: mail?.requestId });
    },
  );

  it('uses China (Hangzhou) when no region is configured, as the official connector does', async () => {
    await send();
    expect(backend.mails[0]?.host).toBe('dm.aliyuncs.com');
  });

  it('posts to a custom endpoint (a VPC endpoint) instead of the public one', async () => {
    await send(
      {},
      {
        ...baseConfig,
        regionId: 'eu-central-1',
        endpoint: 'https://dm-vpc.eu-central-1.aliyuncs.com/',
      },
    );
    expect(backend.mails[0]?.host).toBe('dm-vpc.eu-central-1.aliyuncs.com');
    expect(mock.requests.map(({ host }) => host)).toEqual(['dm-vpc.eu-central-1.aliyuncs.com']);
  });

  it('sends a text template as TextBody only, values as they are', async () => {
    await send({ payload: { code: '<12&34>' } });
    const [mail] = backend.mails;
    expect(mail?.textBody).toBe('Your sign-in code is <12&34>.');
    expect(mail?.htmlBody).toBeUndefined();
  });

  it('sends an HTML template as HtmlBody only, payload values escaped', async () => {
    await send({
      type: TemplateType.Register,
      payload: { code: '<script>x</script>', application: { name: 'Tom & "Jerry"' } },
    });
    const [mail] = backend.mails;
    expect(mail?.htmlBody).toBe(
      '<p>Your code is <b>&lt;script&gt;x&lt;/script&gt;</b> for Tom &amp; &quot;Jerry&quot;</p>',
    );
    expect(mail?.textBody).toBeUndefined();
  });

  it('falls back to the Generic template for a usage type without its own', async () => {
    await send({ type: TemplateType.MfaVerification });
    expect(backend.mails[0]?.subject).toBe('Your code');
    expect(backend.mails[0]?.textBody).toBe('Code: 123456');
  });

  it("prefers Logto's localized template, with its sender name and Reply-To", async () => {
    const i18n = vi.fn<GetI18nEmailTemplate>(async () => ({
      subject: '登录验证码',
      content: '<p>验证码：{{code}}</p>',
      contentType: 'text/html',
      sendFrom: 'Example 团队',
      replyTo: 'help@example.com',
    }));
    await (await load(baseConfig, i18n)).sendMessage({
      to: 'person@example.com',
      type: TemplateType.SignIn,
      payload: { code: '654321', locale: 'zh-CN' },
    });
    expect(i18n).toHaveBeenCalledWith(TemplateType.SignIn, 'zh-CN');
    const [mail] = backend.mails;
    expect(mail?.subject).toBe('登录验证码');
    expect(mail?.htmlBody).toBe('<p>验证码：654321</p>');
    expect(mail?.fromAlias).toBe('Example 团队');
    expect(mail?.params.ReplyAddress).toBe('help@example.com');
    expect(mail?.params.ReplyToAddress).toBe('false');
  });

  it('sends the configured fromAlias and replyToAddress', async () => {
    await send({}, { ...baseConfig, fromAlias: 'Example', replyToAddress: 'support@example.com' });
    const [mail] = backend.mails;
    expect(mail?.fromAlias).toBe('Example');
    expect(mail?.params.ReplyAddress).toBe('support@example.com');
    expect(mail?.replyToAddress).toBe(false);
  });

  it("lets a template's replyTo win over replyToAddress", async () => {
    const config = {
      ...baseConfig,
      replyToAddress: 'support@example.com',
      templates: [{ ...baseConfig.templates[2], replyTo: 'codes@example.com' }],
    };
    await send({}, config);
    expect(backend.mails[0]?.params.ReplyAddress).toBe('codes@example.com');
  });

  it("asks Direct Mail for the console's reply-to address when useConsoleReplyTo is on", async () => {
    await send({}, { ...baseConfig, useConsoleReplyTo: true });
    expect(backend.mails[0]?.replyToAddress).toBe(true);
    expect(backend.mails[0]?.params.ReplyAddress).toBeUndefined();
  });

  it('sends no FromAlias when none is configured', async () => {
    await send({}, { ...baseConfig, fromAlias: '' });
    expect(backend.mails[0]?.params).not.toHaveProperty('FromAlias');
  });

  it('uses the unsaved config of "send test" instead of the stored one', async () => {
    const getConfig = vi.fn(async () => ({ ...baseConfig, accessKeyId: 'stale' }));
    const connector = (await createAliyunDmConnector({
      getConfig,
      getI18nEmailTemplate: async () => undefined,
    })) as EmailConnector;
    await connector.sendMessage(
      { to: 'person@example.com', type: TemplateType.Generic, payload: { code: '1' } },
      { ...baseConfig, regionId: 'ap-southeast-1' },
    );
    expect(getConfig).not.toHaveBeenCalled();
    expect(backend.mails[0]?.region).toBe('ap-southeast-1');
  });

  it('sends through the emulator on loopback as a proxy endpoint', async () => {
    const emulator = await startAliyunDmEmulator(backend);
    try {
      mock.use(http.all(`${emulator.url}*`, () => passthrough()));
      await send({}, { ...baseConfig, endpoint: emulator.url });
      expect(emulator.mails).toHaveLength(1);
      expect(emulator.mails[0]?.region).toBeUndefined();
    } finally {
      await emulator.stop();
    }
  });
});

describe('refusing before anything is sent', () => {
  it.each([
    ['a list of recipients', 'a@example.com, b@example.com'],
    ['a recipient with a line break', 'a@example.com\r\nBcc: b@example.com'],
  ])('refuses %s', async (_, to) => {
    const error = await failure(send({ to }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(mock.requests).toHaveLength(0);
  });

  it.each(['accessKeyId', 'accessKeySecret', 'accountName'] as const)(
    'refuses an empty %s as invalid_config',
    async (key) => {
      const error = await failure(send({}, { ...baseConfig, [key]: ' ' }));
      expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
      expect(messageOf(error)).toContain(key);
      expect(mock.requests).toHaveLength(0);
    },
  );

  it("refuses a localized template's sender name longer than Aliyun's FromAlias limit", async () => {
    const connector = await load(baseConfig, async () => ({
      subject: 'Code',
      content: '{{code}}',
      sendFrom: 'The Example Company Security Team',
    }));
    const error = await failure(
      connector.sendMessage({ to: 'a@example.com', type: TemplateType.SignIn, payload: {} }),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(mock.requests).toHaveLength(0);
  });

  it('refuses a config whose fromAlias exceeds 15 characters', async () => {
    const error = await failure(send({}, { ...baseConfig, fromAlias: 'Sixteen chars!!!' }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(messageOf(error)).toContain('fromAlias');
    expect(mock.requests).toHaveLength(0);
  });
});

describe("mapping Aliyun's answers", () => {
  it('reports a wrong secret (SignatureDoesNotMatch) as invalid_config without the secret', async () => {
    const error = await failure(
      send({}, { ...baseConfig, accessKeySecret: `${accessKeySecret}-rotated` }),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(messageOf(error)).toContain('SignatureDoesNotMatch');
    expect(messageOf(error)).toContain('Access Key Secret');
    // Short: not Alibaba's string to sign, which carries the whole message and its code.
    expect(messageOf(error).length).toBeLessThan(200);
    expect(JSON.stringify(error.data)).not.toContain('string to sign');
    expect(backend.requests[0]?.code).toBe('SignatureDoesNotMatch');
    const text = `${error.message}${JSON.stringify(error.data)}`;
    expect(text).not.toContain(`${accessKeySecret}-rotated`);
    expectNoSecret(error);
  });

  it('reports an unknown access key (InvalidAccessKeyId.NotFound) as invalid_config', async () => {
    const error = await failure(send({}, { ...baseConfig, accessKeyId: 'LTAI-unknown' }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toMatchObject({ providerCode: 'InvalidAccessKeyId.NotFound', status: 404 });
    expectNoSecret(error);
  });

  it('reports a sender address missing from the console as invalid_config', async () => {
    const error = await failure(send({}, { ...baseConfig, accountName: 'other@mail.example.com' }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toMatchObject({ providerCode: 'InvalidMailAddress.NotFound' });
  });

  it("reports a recipient Aliyun refuses (InvalidToAddress) as general with Aliyun's message", async () => {
    const error = await failure(send({ to: 'person@localhost' }));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(messageOf(error)).toBe(
      'Aliyun Direct Mail answered `InvalidToAddress`: The specified toAddress is wrongly formed.',
    );
    expect(error.data).toMatchObject({
      providerCode: 'InvalidToAddress',
      hint: expect.stringContaining('request id'),
    });
  });

  it('reports a subject over 100 characters (InvalidSubject.Malformed) as invalid_config', async () => {
    const error = await failure(
      send(
        { type: TemplateType.Generic },
        {
          ...baseConfig,
          templates: [{ usageType: 'Generic', subject: 's'.repeat(101), content: '{{code}}' }],
        },
      ),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.data).toMatchObject({ providerCode: 'InvalidSubject.Malformed' });
  });

  it.each<[AliyunDmForcedError, ConnectorErrorCodes]>([
    ['Throttling.User', ConnectorErrorCodes.RateLimitExceeded],
    [{ code: 'Throttling.Api', status: 400 }, ConnectorErrorCodes.RateLimitExceeded],
    [{ code: 'Throttling', status: 503 }, ConnectorErrorCodes.RateLimitExceeded],
    // Direct Mail documents no quota code of its own for SingleSendMail; these are the shapes of
    // Alibaba Cloud's quota and balance codes, matched by pattern.
    [{ code: 'QuotaExceeded.DailyQuota', status: 400 }, usageLimitExceededCode()],
    [{ code: 'InvalidQuota', status: 400 }, usageLimitExceededCode()],
    [{ code: 'Account.InsufficientBalance', status: 400 }, usageLimitExceededCode()],
    ['Forbidden', ConnectorErrorCodes.InvalidConfig],
    ['InvalidMailAddressStatus.Malformed', ConnectorErrorCodes.InvalidConfig],
    ['InvalidMailAddressDomain.Malformed', ConnectorErrorCodes.InvalidConfig],
    ['InvalidFromAlias.Malformed', ConnectorErrorCodes.InvalidConfig],
    ['InvalidToAddress.Spam', ConnectorErrorCodes.General],
    ['InvalidSendMail.Spam', ConnectorErrorCodes.General],
    ['InvalidBody', ConnectorErrorCodes.General],
    ['SignatureNonceUsed', ConnectorErrorCodes.General],
    ['InvalidTimeStamp.Expired', ConnectorErrorCodes.General],
    ['InternalError', ConnectorErrorCodes.General],
    [{ code: 'Something.Unheard.Of', status: 400 }, ConnectorErrorCodes.General],
  ])('maps %o to %s, carrying the Aliyun code', async (forced, expected) => {
    backend.forceError(forced);
    const error = await failure(send());
    expect(error.code).toBe(expected);
    const code = typeof forced === 'string' ? forced : forced.code;
    expect(error.data).toMatchObject({
      providerCode: code,
      hint: expect.stringContaining('request id'),
    });
    expect(messageOf(error)).toContain(code);
    expectNoSecret(error);
  });

  it('hints at the server clock for InvalidTimeStamp.Expired', async () => {
    backend.forceError('InvalidTimeStamp.Expired');
    expect(messageOf(await failure(send()))).toContain('server clock');
  });

  it('never retries a send, even on 503 ServiceUnavailable', async () => {
    backend.forceError('ServiceUnavailable');
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.data).toMatchObject({ providerCode: 'ServiceUnavailable', status: 503 });
    expect(backend.requests).toHaveLength(1);
  });

  it('redacts the secret when an answer echoes it', async () => {
    backend.forceError({ code: 'InvalidParameter', message: `secret was ${accessKeySecret}` });
    const error = await failure(send());
    expect(messageOf(error)).toContain('[redacted]');
    expectNoSecret(error);
  });

  it('reports a bare HTTP 429 as rate_limit_exceeded with its Retry-After', async () => {
    mock.use(
      http.post('https://dm.aliyuncs.com/', () =>
        HttpResponse.text('Too Many Requests', { status: 429, headers: { 'retry-after': '7' } }),
      ),
    );
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.RateLimitExceeded);
    expect(error.data).toMatchObject({ retryAfter: 7 });
  });

  it.each([
    ['a JSON body without EnvId', () => HttpResponse.json({ RequestId: 'r-1' })],
    ['an HTML page', () => HttpResponse.html('<html>proxy login</html>')],
    ['an empty body', () => new HttpResponse(null, { status: 200 })],
  ])('reports %s on 200 as invalid_response', async (_, answer) => {
    mock.use(http.post('https://dm.aliyuncs.com/', answer));
    const error = await failure(send());
    expect(error.code).toBe(ConnectorErrorCodes.InvalidResponse);
    expectNoSecret(error);
  });

  it('gives up after the configured timeout, naming the host and the timeout', async () => {
    const emulator = await startAliyunDmEmulator(backend);
    try {
      mock.use(http.all(`${emulator.url}*`, () => passthrough()));
      backend.delayNext('forever');
      const started = Date.now();
      const error = await failure(
        send({}, { ...baseConfig, endpoint: emulator.url, timeout: 1000 }),
      );
      expect(Date.now() - started).toBeLessThan(3000);
      expect(error.code).toBe(ConnectorErrorCodes.General);
      expect(messageOf(error)).toBe(`127.0.0.1:${emulator.port} did not answer within 1000 ms`);
    } finally {
      await emulator.stop();
    }
  });

  it('reports an unreachable endpoint as general, naming the host', async () => {
    const emulator = await startAliyunDmEmulator(backend);
    const { url, port } = emulator;
    await emulator.stop();
    mock.use(http.all(`${url}*`, () => passthrough()));
    const error = await failure(send({}, { ...baseConfig, endpoint: url }));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(messageOf(error)).toContain(`127.0.0.1:${port}`);
  });
});
