import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type AllConnector,
  ConnectorError,
  ConnectorType,
  type CreateConnector,
  connectorMetadataGuard,
} from '@logto/connector-kit';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeHostileConfigs } from './hostile-config';
import { configGuardKeySchemas, configGuardKeys } from './zod-keys';

/**
 * The conformance suite every connector runs in one call: the shape Logto's loader expects, valid
 * metadata, a config example that parses, form items that match the guard, and hostile inputs that
 * come out only as secret-free `ConnectorError`s.
 */

export type ConformanceOptions = {
  // biome-ignore lint/suspicious/noExplicitAny: any connector type.
  createConnector: CreateConnector<any>;
  /** The package folder (holding package.json, README.md, the logo, config.example.json). */
  packageDirectory: string;
  /** A config that must parse. Hosts in it should be loopback or intercepted by msw. */
  validConfig: unknown;
  /** Values of `validConfig` that must never appear in an error. */
  secrets: string[];
  /** Runs of each property-based check. @default 40 */
  runs?: number;
  /**
   * The connector talks to its provider over something msw cannot intercept (SMTP): a hostile
   * config its guard accepts is then not used for a first call, which could resolve a host name.
   * @default false
   */
  sendsOutsideHttp?: boolean;
};

const hostileValues = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.constant(undefined),
    fc.constant(null),
    fc.constant({}),
    fc.string({ minLength: 10_000, maxLength: 20_000 }),
    fc.record({ code: fc.string(), state: fc.string() }),
    fc.record({ error: fc.string(), error_description: fc.string() }),
    fc.record({ to: fc.string(), type: fc.string(), payload: fc.anything({ maxDepth: 2 }) }),
  );

export const expectSafeConnectorError = (error: unknown, secrets: readonly string[]) => {
  expect(error, `threw ${String(error)}`).toBeInstanceOf(ConnectorError);
  const { message, data } = error as ConnectorError;
  const text = `${message}\n${JSON.stringify(data) ?? ''}`;
  for (const secret of secrets) {
    expect(text.includes(secret), `an error contains the secret ${JSON.stringify(secret)}`).toBe(
      false,
    );
  }
};

/**
 * What Logto calls first with a saved config: `getAuthorizationUri` for a social connector,
 * `sendMessage` (the console's test message) otherwise.
 */
const firstCall = async (connector: AllConnector): Promise<unknown> =>
  connector.type === ConnectorType.Social
    ? connector.getAuthorizationUri(
        {
          state: 'state',
          redirectUri: 'http://127.0.0.1:1/callback',
          connectorId: 'id',
          connectorFactoryId: connector.metadata.id,
          jti: 'jti',
          headers: {},
        },
        async () => undefined,
      )
    : connector.sendMessage({
        to: connector.type === ConnectorType.Sms ? '+4512345678' : 'a@example.com',
        type: 'Generic',
        payload: { code: '1' },
      } as never);

export const describeConnectorConformance = (options: ConformanceOptions) => {
  const runs = options.runs ?? 40;
  // `load()` is the valid config; `load(undefined)` is a stored config that is missing (a default
  // parameter would turn it back into the valid one).
  const load = async (...config: [unknown?]): Promise<AllConnector> =>
    options.createConnector({
      getConfig: async () => (config.length > 0 ? config[0] : options.validConfig),
      // biome-ignore lint/suspicious/noExplicitAny: email connectors only.
      getI18nEmailTemplate: (async () => undefined) as any,
    }) as Promise<AllConnector>;

  // Any provider request answers an OAuth error: nothing reaches the network.
  const server = setupServer(
    http.all('*', () => HttpResponse.json({ error: 'invalid_request' }, { status: 400 })),
  );

  describe('connector conformance', () => {
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());

    it('default-exports a factory that returns a connector Logto can load', async () => {
      const connector = await load();
      expect(Object.values(ConnectorType)).toContain(connector.type);
      expect(connector.configGuard).toBeDefined();
      if (connector.type === ConnectorType.Social) {
        expect(typeof connector.getAuthorizationUri).toBe('function');
        expect(typeof connector.getUserInfo).toBe('function');
      } else {
        expect(typeof connector.sendMessage).toBe('function');
      }
    });

    it('has metadata valid under connector-kit’s guard, with files that ship', async () => {
      const { metadata } = await load();
      const parsed = connectorMetadataGuard.safeParse(metadata);
      expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
      for (const file of [
        metadata.logo,
        metadata.logoDark,
        metadata.readme,
        metadata.configTemplate,
      ]) {
        if (file && !file.startsWith('http')) {
          expect(existsSync(path.join(options.packageDirectory, file)), `${file} exists`).toBe(
            true,
          );
        }
      }
      const packageJson = JSON.parse(
        readFileSync(path.join(options.packageDirectory, 'package.json'), 'utf8'),
      ) as { files?: string[] };
      for (const file of [
        metadata.logo,
        metadata.logoDark,
        metadata.readme,
        metadata.configTemplate,
      ]) {
        if (file && !file.startsWith('http')) {
          expect(packageJson.files, `package.json files ships ${file}`).toContain(
            file.replace(/^\.\//, ''),
          );
        }
      }
    });

    it('declares only form items the config guard knows', async () => {
      const { metadata, configGuard } = await load();
      const keys = configGuardKeys(configGuard);
      for (const item of metadata.formItems ?? []) {
        expect(keys, `formItems key ${item.key}`).toContain(item.key);
      }
    });

    it('form item defaults are valid for their keys', async () => {
      // Logto's console prefills a form with these defaults: one its guard refuses would make an
      // operator's first save fail (or store a placeholder such as `<jwks-uri>`).
      const { metadata, configGuard } = await load();
      const schemas = configGuardKeySchemas(configGuard);
      for (const item of metadata.formItems ?? []) {
        if (item.defaultValue === undefined) {
          continue;
        }
        const results = (schemas.get(item.key) ?? []).map((schema) =>
          schema.safeParse(item.defaultValue),
        );
        const failure = results.find((result) => !result.success);
        expect(
          results.some((result) => result.success),
          `formItems ${item.key} defaultValue ${JSON.stringify(item.defaultValue)}: ${failure?.error?.message ?? 'no schema for this key'}`,
        ).toBe(true);
      }
    });

    it('parses its valid config and its shipped config example', async () => {
      const { configGuard, metadata } = await load();
      const valid = configGuard.safeParse(options.validConfig);
      expect(valid.success, valid.success ? '' : valid.error.message).toBe(true);
      const examplePath = path.join(
        options.packageDirectory,
        metadata.configTemplate ?? 'config.example.json',
      );
      expect(existsSync(examplePath), 'config.example.json exists').toBe(true);
      const example = configGuard.safeParse(JSON.parse(readFileSync(examplePath, 'utf8')));
      expect(example.success, example.success ? '' : example.error.message).toBe(true);
    });

    it('throws only secret-free ConnectorErrors on hostile input', async () => {
      const connector = await load();
      const session = {
        redirectUri: 'http://127.0.0.1:1/callback',
        nonce: 'nonce-value',
        codeVerifier: 'verifier-value',
      };
      await fc.assert(
        fc.asyncProperty(hostileValues(), async (input) => {
          try {
            if (connector.type === ConnectorType.Social) {
              await connector.getUserInfo(input, async () => session);
            } else {
              // biome-ignore lint/suspicious/noExplicitAny: hostile by design.
              await connector.sendMessage(input as any);
            }
          } catch (error: unknown) {
            expectSafeConnectorError(error, options.secrets);
            return;
          }
          // Succeeding on garbage is only acceptable for a social connector that got a code.
          expect(connector.type).toBe(ConnectorType.Social);
        }),
        { numRuns: runs },
      );
    });

    describeHostileConfigs({ ...options, load, firstCall });

    it('rejects an invalid config with a secret-free invalid_config', async () => {
      await fc.assert(
        fc.asyncProperty(fc.anything({ maxDepth: 2 }), async (config) => {
          const connector = await load(config);
          const { configGuard } = connector;
          if (configGuard.safeParse(config).success) {
            return;
          }
          try {
            await firstCall(connector);
          } catch (error: unknown) {
            expectSafeConnectorError(error, options.secrets);
            expect((error as ConnectorError).code).toBe('invalid_config');
            return;
          }
          throw new Error('an invalid config was accepted');
        }),
        { numRuns: Math.ceil(runs / 2) },
      );
    });
  });
};
