import { describeSmsConnectorFuzz } from '@idplug/testing';
import { type SmsConnector, TemplateType } from '@logto/connector-kit';
import fc from 'fast-check';
import { defaultEndpoint } from './constants';
import createAliyunSmsConnector from './index';

const accessKeySecret = 'fuzz-aliyun-sms-access-key-secret';

/** Aliyun templates: a code string or `{ china, overseas }`, or anything else a person may type. */
const aliyunTemplates = () =>
  fc
    .tuple(
      fc.array(
        fc.record({
          usageType: fc.oneof(fc.constantFrom(...Object.values(TemplateType)), fc.string()),
          templateCode: fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.record({ china: fc.string(), overseas: fc.string() }),
            fc.anything({ maxDepth: 1 }),
          ),
          type: fc.oneof(fc.constantFrom(0, 1, 2, 6, 7), fc.anything()),
        }),
        { maxLength: 5 },
      ),
      fc.boolean(),
    )
    .map(([templates, withGeneric]) =>
      withGeneric
        ? [
            ...templates,
            { usageType: 'Generic', templateCode: { china: 'SMS_1', overseas: 'SMS_2' } },
          ]
        : templates,
    );

// SMS's real endpoint, answered arbitrarily by msw on every run.
describeSmsConnectorFuzz({
  connector: 'aliyun-sms',
  create: async (config) =>
    (await createAliyunSmsConnector({ getConfig: async () => config })) as SmsConnector,
  validConfig: () => ({
    accessKeyId: 'LTAI-fuzz',
    accessKeySecret,
    signName: 'idplug',
    templates: [{ usageType: 'Generic', templateCode: { china: 'SMS_1', overseas: 'SMS_2' } }],
    timeout: 2000,
  }),
  secrets: [accessKeySecret],
  providerUrls: [defaultEndpoint],
  templates: aliyunTemplates,
  numRuns: 60,
});
