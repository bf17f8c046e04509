import { type SmsConnector, TemplateType } from '@logto/connector-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  configNear,
  expectOnlySafeConnectorErrors,
  type FuzzBudget,
  providerAnswer,
  useFuzzedProvider,
} from './fuzz';

/**
 * The SMS connectors' property-based tests, in one call per connector (the email ones'
 * pattern): arbitrary messages, templates, configs and provider answers. Beside the shared
 * invariant (success or a secret-free `ConnectorError`), two SMS ones: no error holds the full
 * recipient number, even when the provider echoes it, and a recipient that cannot be one phone
 * number never reaches the provider.
 */

/** Numbers as Logto stores them (no `+`), with a `+`, formatted, mainland Chinese, 15 digits. */
export const fuzzPhoneNumbers = [
  '4512345678',
  '+4512345678',
  '+45 12 34 56 78',
  '8613800138000',
  '13800138000',
  '+8613912345678',
  '15551234567',
  '123456789012345',
] as const;

/** Recipients that are not one phone number: each must be refused before any request. */
export const arbitraryNonPhoneRecipient = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(
      '4512345678,4587654321',
      '4512345678\r\n4587654321',
      '4512345678\n',
      '45123abc78',
      '1234567890123456',
      '+',
      '',
      'call me',
    ),
    fc
      .tuple(fc.constantFrom(...fuzzPhoneNumbers), fc.constantFrom('\r', '\n', ';', 'x', '+1'))
      .map(([number, junk]) => `${number}${junk}`),
    fc.string({ maxLength: 30 }).filter((text) => /[a-z]/i.test(text)),
    fc.constantFrom(undefined, null, 4_512_345_678, ['4512345678'], {}),
  );

/** Logto's `sendMessage` payload: a code, and `locale`/`uiLocales` as newer Logto versions pass. */
export const arbitrarySmsPayload = () =>
  fc.record(
    {
      code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.string(), fc.integer()),
      locale: fc.oneof(fc.constantFrom('en', 'zh-CN', 'fr', 'pt-BR'), fc.string()),
      uiLocales: fc.oneof(fc.constantFrom('en', 'zh-CN fr', 'de'), fc.string()),
      link: fc.oneof(fc.webUrl(), fc.string()),
      application: fc.record({ name: fc.string() }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );

/** `sendMessage` input: mostly real numbers, sometimes anything; payloads of anything. */
export const arbitrarySmsData = () =>
  fc.record(
    {
      to: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...fuzzPhoneNumbers) },
        { weight: 1, arbitrary: arbitraryNonPhoneRecipient() },
        { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
      ),
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...Object.values(TemplateType)) },
        fc.string(),
        fc.anything(),
      ),
      payload: fc.oneof(
        { weight: 4, arbitrary: arbitrarySmsPayload() },
        fc.anything({ maxDepth: 2 }),
      ),
      ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
    },
    { requiredKeys: ['to', 'type', 'payload'] },
  );

/** Text templates (Twilio, HTTP-rendered providers): handlebars of every kind. */
export const arbitrarySmsTextTemplates = () =>
  fc
    .tuple(
      fc.array(
        fc.record({
          usageType: fc.oneof(fc.constantFrom(...Object.values(TemplateType)), fc.string()),
          content: fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.constantFrom(
              'Your code is {{code}}',
              '{{{code}}} {{ code }} {{#if code}}x{{/if}} {{link}} {{locale}}',
              '{{code',
              '{{__proto__}} {{constructor}}',
            ),
          ),
        }),
        { maxLength: 5 },
      ),
      fc.boolean(),
    )
    .map(([templates, withGeneric]) =>
      withGeneric ? [...templates, { usageType: 'Generic', content: '{{code}}' }] : templates,
    );

export type SmsFuzzOptions = FuzzBudget & {
  connector: string;
  create: (config: unknown) => Promise<SmsConnector>;
  /** A config that sends (to an msw-served API). */
  validConfig: () => Record<string, unknown>;
  secrets: string[];
  /** The provider's URLs (msw path patterns allowed): each run answers them arbitrarily. */
  providerUrls: string[];
  /** Template lists for the first property. @default arbitrarySmsTextTemplates() */
  templates?: () => fc.Arbitrary<unknown[]>;
  /** @default 'templates' */
  templatesKey?: string;
  fixedConfigKeys?: string[];
  beforeEachRun?: () => void;
};

/** As the other fuzz helpers: `FUZZ_SEED` replays a failure, CI runs a fixed seed. */
const seedOf = (budget: FuzzBudget): number | undefined =>
  budget.seed ??
  (process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI ? 20_261_122 : undefined);

const runParameters = (budget: FuzzBudget) => ({
  numRuns: budget.numRuns ?? 40,
  ...(seedOf(budget) !== undefined && { seed: seedOf(budget) }),
  ...(process.env.FUZZ_PATH && { path: process.env.FUZZ_PATH }),
  endOnFailure: false,
  interruptAfterTimeLimit: 60_000,
});

const digitsOf = (to: unknown): string | undefined =>
  typeof to === 'string' && /^\+?[\d\s().-]+$/.test(to.trim()) ? to.replace(/\D/g, '') : undefined;

export const describeSmsConnectorFuzz = (options: SmsFuzzOptions) => {
  const templatesKey = options.templatesKey ?? 'templates';
  const timeout = (options.numRuns ?? 40) * 1000 + 30_000;
  const provider = useFuzzedProvider(options.providerUrls);
  // A provider (or a proxy) that echoes the numbers and secrets it was sent.
  const answers = fc.record(
    Object.fromEntries(
      options.providerUrls.map((url) => [
        url,
        providerAnswer([...options.secrets, ...fuzzPhoneNumbers]),
      ]),
    ),
  );
  const send = async (config: unknown, data: unknown, asTestConfig: boolean) => {
    const connector = await options.create(config);
    return connector.sendMessage(
      data as Parameters<SmsConnector['sendMessage']>[0],
      asTestConfig ? config : undefined,
    );
  };

  describe(`${options.connector} SMS fuzzing`, () => {
    it('throws only secret-free ConnectorErrors that mask the recipient', {
      timeout,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          arbitrarySmsData(),
          (options.templates ?? arbitrarySmsTextTemplates)(),
          fc.boolean(),
          answers,
          async (data, templates, asTestConfig, next) => {
            options.beforeEachRun?.();
            provider.answer(next);
            const config = { ...options.validConfig(), [templatesKey]: templates };
            const digits = digitsOf(data.to);
            const error = await expectOnlySafeConnectorErrors(
              () => send(config, data, asTestConfig),
              options.secrets,
            );
            if (error && digits && digits.length >= 8) {
              expect(
                `${error.message} ${JSON.stringify(error.data)}`,
                `${error.code} shows the full recipient number`,
              ).not.toContain(digits);
            }
          },
        ),
        runParameters(options),
      );
      expect(provider.hits, 'no run reached the provider').toBeGreaterThan(0);
    });

    it('refuses a recipient that is not one phone number before any request', {
      timeout,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(arbitraryNonPhoneRecipient(), answers, async (to, next) => {
          options.beforeEachRun?.();
          provider.answer(next);
          const hitsBefore = provider.hits;
          const error = await expectOnlySafeConnectorErrors(
            () =>
              send(
                options.validConfig(),
                { to, type: TemplateType.SignIn, payload: { code: '123456' } },
                false,
              ),
            options.secrets,
          );
          expect(error?.code).toBe('invalid_request_parameters');
          expect(provider.hits).toBe(hitsBefore);
        }),
        runParameters(options),
      );
    });

    it('throws only secret-free ConnectorErrors for arbitrary configs', { timeout }, async () => {
      await fc.assert(
        fc.asyncProperty(
          configNear(options.validConfig(), options.fixedConfigKeys),
          arbitrarySmsData(),
          answers,
          async (config, data, next) => {
            options.beforeEachRun?.();
            provider.answer(next);
            const text = JSON.stringify(config) ?? '';
            const secrets = options.secrets.filter((secret) =>
              text.includes(JSON.stringify(secret).slice(1, -1)),
            );
            await expectOnlySafeConnectorErrors(() => send(config, data, false), secrets);
          },
        ),
        runParameters(options),
      );
    });
  });
};
