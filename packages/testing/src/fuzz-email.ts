import type { EmailConnector } from '@logto/connector-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arbitraryEmailData,
  configNear,
  type ProviderAnswer,
  providerAnswer,
  templatesWithFallback,
} from './fuzz-arbitraries';
import {
  expectOnlySafeConnectorErrors,
  type FuzzBudget,
  propertyTimeout,
  runParameters,
  secretsStillIn,
} from './fuzz-invariant';
import { useFuzzedProvider } from './fuzz-provider';

/**
 * The fuzz properties of an email connector: arbitrary messages and templates, and configs near
 * a valid one, delivered to a local sink or to an HTTP API answering arbitrarily (msw).
 */

export type EmailFuzzOptions = FuzzBudget & {
  connector: string;
  create: (config: unknown) => Promise<EmailConnector>;
  /** A config that delivers (to a local sink or an msw-served API); a function when it needs a port. */
  validConfig: () => Record<string, unknown>;
  secrets: string[];
  /** The config key holding the templates. @default 'templates' */
  templatesKey?: string;
  /** Config keys the config property never changes (see `configNear`). */
  fixedConfigKeys?: string[];
  /** An HTTP API's URLs (Aliyun DM): each run answers them arbitrarily, through msw. */
  providerUrls?: string[];
  beforeEachRun?: () => void;
};

type EmailData = Parameters<EmailConnector['sendMessage']>[0];

export const describeEmailConnectorFuzz = (options: EmailFuzzOptions) => {
  const templatesKey = options.templatesKey ?? 'templates';
  const timeout = propertyTimeout(options);
  const urls = options.providerUrls ?? [];
  const provider = urls.length > 0 ? useFuzzedProvider(urls) : undefined;
  // The API may echo every secret the properties check for.
  const answers = fc.record(
    Object.fromEntries(urls.map((url) => [url, providerAnswer(options.secrets)])),
  ) as fc.Arbitrary<Record<string, ProviderAnswer>>;

  describe(`${options.connector} fuzzing`, () => {
    it('throws only secret-free ConnectorErrors for arbitrary messages and templates', {
      timeout,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          arbitraryEmailData(),
          templatesWithFallback(),
          fc.boolean(),
          answers,
          async (data, templates, asTestConfig, next) => {
            options.beforeEachRun?.();
            provider?.answer(next);
            const config = { ...options.validConfig(), [templatesKey]: templates };
            await expectOnlySafeConnectorErrors(async () => {
              const connector = await options.create(config);
              return connector.sendMessage(
                data as EmailData,
                // Logto's console "test" button passes the config being edited.
                asTestConfig ? config : undefined,
              );
            }, options.secrets);
          },
        ),
        runParameters(options),
      );
      if (provider) {
        expect(provider.hits, 'no run reached the provider').toBeGreaterThan(0);
      }
    });

    it('throws only secret-free ConnectorErrors for arbitrary configs', { timeout }, async () => {
      await fc.assert(
        fc.asyncProperty(
          configNear(options.validConfig(), options.fixedConfigKeys),
          arbitraryEmailData(),
          answers,
          async (config, data, next) => {
            options.beforeEachRun?.();
            provider?.answer(next);
            await expectOnlySafeConnectorErrors(
              async () => {
                const connector = await options.create(config);
                return connector.sendMessage(data as EmailData);
              },
              secretsStillIn(config, options.secrets),
            );
          },
        ),
        runParameters(options),
      );
    });
  });
};
