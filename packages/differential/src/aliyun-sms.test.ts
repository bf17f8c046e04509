import createAliyunSmsConnector from '@idplug/connector-aliyun-sms';
import { aliyunSmsHandlers, createAliyunSmsBackend } from '@idplug/emulators';
import { arbitrarySmsPayload } from '@idplug/testing';
import * as officialModule from '@logto/connector-aliyun-sms';
import { type SmsConnector, TemplateType } from '@logto/connector-kit';
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * Aliyun SMS's drop-in promise: for the same config and message, SendSms receives the same
 * parameters from idplug as from `@logto/connector-aliyun-sms` (the template code chosen for
 * mainland or overseas numbers, the TemplateParam without `locale`, ...), each correctly signed:
 * both go to the emulator, which verifies the signature. Only the per-request values differ
 * (`Signature`, `SignatureNonce`, `Timestamp`), and `Format` is `JSON` here, `json` there.
 */

const accessKeyId = 'LTAI-differential';
const accessKeySecret = 'differential-access-key-secret';
const codes = ['SMS_CN', 'SMS_INTL', 'SMS_ONE'];
const backend = createAliyunSmsBackend({
  accounts: { [accessKeyId]: accessKeySecret },
  templates: Object.fromEntries(codes.map((code) => [code, `${code} \${code}`])),
});
const server = setupServer(...aliyunSmsHandlers(backend));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const createOfficial = officialFactory<SmsConnector>(officialModule);

/** Numbers as Logto stores them, mainland and not, with and without country codes. */
const numbers = [
  '8613800138000',
  '13800138000',
  '+8613912345678',
  '008613912345678',
  '4512345678',
  '15551234567',
  '85261234567',
];

const comparable = (params: Record<string, string>) => {
  const { Signature, SignatureNonce, Timestamp, Format, ...rest } = params;
  return { ...rest, Format: Format?.toUpperCase() };
};

const outcomeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'sent',
    (error: unknown) => (error as { code?: string }).code ?? String(error),
  );

describe('Aliyun SMS against @logto/connector-aliyun-sms', () => {
  it('sends the same SendSms parameters for 200 fuzzed messages', {
    timeout: 120_000,
  }, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...numbers),
        fc.constantFrom(...Object.values(TemplateType)),
        arbitrarySmsPayload(),
        fc.boolean(),
        fc.option(fc.boolean(), { nil: undefined }),
        async (to, type, payload, split, strictPhoneRegionNumberCheck) => {
          const templateCode = split ? { china: 'SMS_CN', overseas: 'SMS_INTL' } : 'SMS_ONE';
          const config = {
            accessKeyId,
            accessKeySecret,
            signName: 'idplug',
            // The official guard insists on these four usage types.
            templates: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
              usageType,
              templateCode,
            })),
            ...(strictPhoneRegionNumberCheck !== undefined && { strictPhoneRegionNumberCheck }),
          };
          const message = { to, type, payload };
          backend.reset();
          const official = await createOfficial({ getConfig: async () => config });
          const ours = (await createAliyunSmsConnector({
            getConfig: async () => config,
          })) as SmsConnector;
          expect(await outcomeOf(official.sendMessage(message as never))).toBe('sent');
          expect(await outcomeOf(ours.sendMessage(message as never))).toBe('sent');
          const [officialCall, ourCall] = backend.messages;
          expect(comparable(ourCall?.params ?? {})).toEqual(comparable(officialCall?.params ?? {}));
          compared += 1;
        },
      ),
      { numRuns: 200, seed: 20_261_201 },
    );
    expect(compared).toBe(200);
  });
});
