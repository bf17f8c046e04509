import { buildSignedAliyunRpcParameters } from '@idplug/base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AliyunSmsEmulator, startAliyunSmsEmulator } from './aliyun-sms';

let emulator: AliyunSmsEmulator;

beforeAll(async () => {
  emulator = await startAliyunSmsEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.backend.reset());

const sendSms = async (
  parameters: Record<string, string>,
  accessKeySecret = 'emulator-access-key-secret',
  nonce?: string,
) => {
  const response = await fetch(emulator.url, {
    method: 'POST',
    body: new URLSearchParams(
      buildSignedAliyunRpcParameters({
        action: 'SendSms',
        version: '2017-05-25',
        accessKeyId: 'emulator-access-key-id',
        accessKeySecret,
        parameters,
        ...(nonce && { nonce }),
      }),
    ),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
};

const valid = {
  PhoneNumbers: '8613800138000',
  SignName: 'idplug',
  TemplateCode: 'SMS_000000001',
  TemplateParam: JSON.stringify({ code: '123456' }),
};

describe('Aliyun SMS emulator', () => {
  it('accepts a signed SendSms and files the rendered text in the inbox', async () => {
    const { status, body } = await sendSms(valid);
    expect([status, body.Code]).toEqual([200, 'OK']);
    expect(emulator.inbox).toMatchObject([
      {
        provider: 'aliyun-sms',
        to: '8613800138000',
        text: '【idplug】您的验证码为123456，10分钟内有效。',
        template: 'SMS_000000001',
      },
    ]);
  });

  it('refuses a signature made with another secret, and a reused nonce', async () => {
    const forged = await sendSms(valid, 'not-the-secret');
    expect([forged.status, forged.body.Code]).toEqual([400, 'SignatureDoesNotMatch']);
    await sendSms(valid, undefined, 'nonce-1');
    const replay = await sendSms(valid, undefined, 'nonce-1');
    expect(replay.body.Code).toBe('SignatureNonceUsed');
    expect(emulator.inbox).toHaveLength(1);
  });

  it.each([
    [{ ...valid, PhoneNumbers: '+4512345678' }, 'isv.MOBILE_NUMBER_ILLEGAL'],
    [{ ...valid, SignName: 'other' }, 'isv.SMS_SIGNATURE_ILLEGAL'],
    [{ ...valid, TemplateCode: 'SMS_unknown' }, 'isv.SMS_TEMPLATE_ILLEGAL'],
  ])('answers a business error with HTTP 200 and its Code', async (parameters, code) => {
    const { status, body } = await sendSms(parameters);
    expect([status, body.Code]).toEqual([200, code]);
  });

  it('answers a forced error once', async () => {
    emulator.backend.forceError('isv.BUSINESS_LIMIT_CONTROL');
    expect((await sendSms(valid)).body.Code).toBe('isv.BUSINESS_LIMIT_CONTROL');
    expect((await sendSms(valid)).body.Code).toBe('OK');
  });
});
