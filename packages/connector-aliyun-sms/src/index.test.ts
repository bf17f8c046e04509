import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aliyunSmsHandlers, createAliyunSmsBackend } from '@idplug/emulators';
import { createSendTestKit, smsTestMessage, useProviderMock } from '@idplug/testing';
import type { SmsConnector } from '@logto/connector-kit';
import { HttpResponse, http, passthrough } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import createAliyunSmsConnector from './index';

const accessKeyId = 'LTAI-test-key-id';
const accessKeySecret = 'aliyun-sms-access-key-secret-value';
const mainland = '8613800138000';
const overseas = '4512345678';

const config = {
  accessKeyId,
  accessKeySecret,
  signName: 'idplug',
  templates: [
    {
      usageType: 'Generic',
      templateCode: { china: 'SMS_CN_GENERIC', overseas: 'SMS_INTL_GENERIC' },
    },
    { usageType: 'SignIn', templateCode: 'SMS_SIGN_IN' },
  ],
};

const backend = createAliyunSmsBackend({
  accounts: { [accessKeyId]: accessKeySecret },
  signNames: ['idplug'],
  templates: {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Aliyun's template variable syntax
    SMS_CN_GENERIC: '您的验证码为${code}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Aliyun's template variable syntax
    SMS_INTL_GENERIC: 'Your code is ${code}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Aliyun's template variable syntax
    SMS_SIGN_IN: 'Sign-in code ${code}',
  },
});
// msw answers SMS's real endpoint from the emulator (signature checked); nothing else is reachable.
const mock = useProviderMock(...aliyunSmsHandlers(backend));

beforeEach(() => backend.reset());

const kit = createSendTestKit<SmsConnector>({
  create: createAliyunSmsConnector,
  config,
  message: { ...smsTestMessage, type: 'Register' },
  secrets: [accessKeySecret, mainland, overseas],
});
const send = (
  to: unknown,
  type = 'Register',
  payload: Record<string, unknown> = { code: '123456' },
  stored: unknown = config,
) => kit.send(stored, { to, type, payload });

const errorOf = kit.failure;

describe('Aliyun SMS', () => {
  it('sends a signed SendSms with the template code and the payload without locale', async () => {
    await send(mainland, 'SignIn', { code: '123456', locale: 'zh-CN', uiLocales: 'zh-CN' });
    expect(backend.messages).toHaveLength(1);
    expect(backend.messages[0]?.params).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      RegionId: 'cn-hangzhou',
      AccessKeyId: accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      PhoneNumbers: mainland,
      SignName: 'idplug',
      TemplateCode: 'SMS_SIGN_IN',
      TemplateParam: JSON.stringify({ code: '123456', uiLocales: 'zh-CN' }),
    });
    expect(backend.inbox).toMatchObject([
      {
        provider: 'aliyun-sms',
        to: mainland,
        text: '【idplug】Sign-in code 123456',
        template: 'SMS_SIGN_IN',
      },
    ]);
  });

  it.each([
    ['+8613800138000', false, 'SMS_CN_GENERIC'],
    ['13800138000', false, 'SMS_CN_GENERIC'],
    ['13800138000', true, 'SMS_INTL_GENERIC'],
    ['008613800138000', true, 'SMS_CN_GENERIC'],
    [overseas, false, 'SMS_INTL_GENERIC'],
    ['8612345', false, 'SMS_INTL_GENERIC'],
  ])('sends %s (strict: %s) with the %s template', async (to, strict, templateCode) => {
    await send(to, 'Register', { code: '1' }, { ...config, strictPhoneRegionNumberCheck: strict });
    expect(backend.requests.at(-1)?.params.TemplateCode).toBe(templateCode);
  });

  it('refuses a recipient that is not one phone number before any request', async () => {
    for (const to of [
      '138 0013 8000x',
      '13800138000,13900139000',
      '13800138000\n',
      '1234567890123456',
    ]) {
      expect((await errorOf(send(to))).code).toBe('invalid_request_parameters');
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('reports a usage type without a template and no Generic one as template_not_found', async () => {
    const error = await errorOf(
      send(mainland, 'Register', {}, { ...config, templates: [config.templates[1]] }),
    );
    expect(error.code).toBe('template_not_found');
  });
});

describe('Aliyun SMS error codes', () => {
  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', 'rate_limit_exceeded'],
    ['isv.MOBILE_NUMBER_ILLEGAL', 'invalid_request_parameters'],
    ['isv.SMS_SIGNATURE_ILLEGAL', 'invalid_config'],
    ['isv.SMS_TEMPLATE_ILLEGAL', 'invalid_config'],
    ['Throttling.User', 'rate_limit_exceeded'],
  ] as const)('maps %s to %s', async (aliyunCode, code) => {
    backend.forceError(aliyunCode);
    const error = await errorOf(send(mainland));
    expect(error.code).toBe(code);
    expect(error.data).toMatchObject({ providerCode: aliyunCode });
  });

  it('maps a used-up balance to usage_limit_exceeded', async () => {
    backend.forceError('isv.AMOUNT_NOT_ENOUGH');
    expect((await errorOf(send(mainland))).code).toBe('usage_limit_exceeded');
  });

  it('reports a wrong access key secret (signature mismatch) as invalid_config, without the secret', async () => {
    const error = await errorOf(
      send(mainland, 'Register', {}, { ...config, accessKeySecret: 'another-wrong-secret-value' }),
    );
    expect(error.code).toBe('invalid_config');
    expect(error.data).toMatchObject({ providerCode: 'SignatureDoesNotMatch' });
    expect(JSON.stringify(error.data)).not.toContain('another-wrong-secret-value');
  });

  it('reports an unknown access key as invalid_config', async () => {
    const error = await errorOf(
      send(mainland, 'Register', {}, { ...config, accessKeyId: 'LTAI-unknown' }),
    );
    expect(error.code).toBe('invalid_config');
  });

  it('masks the number when Aliyun echoes it', async () => {
    mock.use(
      http.post('https://dysmsapi.aliyuncs.com/', () =>
        HttpResponse.json({
          Code: 'isv.MOBILE_NUMBER_ILLEGAL',
          Message: `非法手机号 ${mainland}`,
          RequestId: 'R',
        }),
      ),
    );
    const error = await errorOf(send(mainland));
    expect(JSON.stringify(error.data)).toContain('*********8000');
  });

  it('reports a 200 without Code OK as invalid_response, and never retries', async () => {
    mock.use(
      http.post('https://dysmsapi.aliyuncs.com/', () => HttpResponse.json({ RequestId: 'R' })),
    );
    expect((await errorOf(send(mainland))).code).toBe('invalid_response');
    expect(mock.requests).toHaveLength(1);
  });

  it('reports no answer within the timeout as general naming the host', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    // A real socket that never answers: msw lets this one request through.
    mock.use(http.all(`http://127.0.0.1:${port}/*`, () => passthrough()));
    try {
      const error = await errorOf(
        send(
          mainland,
          'Register',
          {},
          { ...config, endpoint: `http://127.0.0.1:${port}/`, timeout: 300 },
        ),
      );
      expect(error.code).toBe('general');
      expect((error.data as { message: string }).message).toBe(
        `127.0.0.1:${port} did not answer within 300 ms`,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
