import {
  type AllConnector,
  ConnectorConfigFormItemType,
  ConnectorError,
  ConnectorErrorCodes,
  validateConfig,
} from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import type { ZodError } from 'zod';

/**
 * Configs that must never crash Logto. The console saves a connector by calling connector-kit's
 * `validateConfig(config, connector.configGuard)` itself: a guard that throws anything but a zod
 * issue (a `new URL()` in a refine, a `.trim()` on an object) is an HTTP 500 instead of a message
 * beside the field. For every form item key, and every nested key of a JSON item, each hostile value
 * must be either accepted, or refused as `invalid_config` naming that key; and the first call Logto
 * makes with the config may throw nothing but secret-free `ConnectorError`s.
 */

/** An object whose coercion to text throws: code that does `String(value)` or `${value}` crashes. */
const throwingToString = {
  toString: () => {
    throw new Error('toString called on a config value');
  },
};

/** The values an operator (or a broken form, or an API client) can put under one key. */
export const hostileConfigValues: ReadonlyArray<readonly [label: string, value: unknown]> = [
  ['a host without a scheme', 'github.example.com'],
  ['a scheme without a host', '://x'],
  ['a URL with a space', 'https://exa mple.com'],
  ['markup', '<script>alert(1)</script>'],
  ['a javascript: URL', 'javascript:alert(1)'],
  ['CR/LF', 'value\r\nX-Injected: 1'],
  ['control characters', '\u0000\u0007\u001b[31m'],
  ['an empty string', ''],
  ['a 100 kB string', 'x'.repeat(100_000)],
  ['null', null],
  ['a number', 12_345],
  ['NaN', Number.NaN],
  ['a negative number', -1],
  ['a boolean', true],
  ['an array', ['a', 1, null]],
  ['an empty object', {}],
  ['an object with a throwing toString', throwingToString],
  ['an object with a non-function toString', { toString: 1, valueOf: 1 }],
  ['a null-prototype object', Object.create(null) as object],
  ['a prototype-polluting object', JSON.parse('{"__proto__":{"polluted":true}}') as object],
];

type Mutation = { path: string; apply: (config: Record<string, unknown>) => void };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Top-level form item keys, plus `key.nested` (or `key[0].nested`) for JSON items' objects. */
const mutationsOf = (connector: AllConnector, validConfig: unknown, value: unknown): Mutation[] => {
  const valid = isPlainObject(validConfig) ? validConfig : {};
  const mutations: Mutation[] = [];
  for (const item of connector.metadata.formItems ?? []) {
    const { key } = item;
    mutations.push({
      path: key,
      apply: (config) => {
        config[key] = value;
      },
    });
    if (item.type !== ConnectorConfigFormItemType.Json) {
      continue;
    }
    const current = valid[key];
    const element = Array.isArray(current) ? current[0] : current;
    if (!isPlainObject(element)) {
      continue;
    }
    for (const nestedKey of Object.keys(element)) {
      mutations.push({
        path: Array.isArray(current) ? `${key}[0].${nestedKey}` : `${key}.${nestedKey}`,
        apply: (config) => {
          const copy = { ...element, [nestedKey]: value };
          config[key] = Array.isArray(current) ? [copy, ...current.slice(1)] : copy;
        },
      });
    }
  }
  return mutations;
};

/** The top-level key of each zod issue connector-kit's `validateConfig` threw. */
const issueKeys = (error: ConnectorError): string[] =>
  ((error.data as ZodError | undefined)?.issues ?? []).map((issue) => String(issue.path[0] ?? ''));

export type HostileConfigOptions = {
  load: (config: unknown) => Promise<AllConnector>;
  validConfig: unknown;
  secrets: readonly string[];
  /** See `ConformanceOptions.sendsOutsideHttp`. */
  sendsOutsideHttp?: boolean;
  firstCall: (connector: AllConnector) => Promise<unknown>;
};

export const describeHostileConfigs = (options: HostileConfigOptions) => {
  describe('hostile configs', () => {
    it('validateConfig accepts each hostile value, or refuses it as invalid_config naming the key', async () => {
      const connector = await options.load(options.validConfig);
      let checked = 0;
      for (const [label, value] of hostileConfigValues) {
        for (const mutation of mutationsOf(connector, options.validConfig, value)) {
          const config = structuredClone(options.validConfig) as Record<string, unknown>;
          mutation.apply(config);
          const what = `${mutation.path} = ${label}`;
          try {
            validateConfig(config, connector.configGuard);
          } catch (error: unknown) {
            expect(error, `${what}: threw ${String(error)}`).toBeInstanceOf(ConnectorError);
            expect((error as ConnectorError).code, what).toBe(ConnectorErrorCodes.InvalidConfig);
            expect(issueKeys(error as ConnectorError), what).toContain(
              mutation.path.split(/[.[]/)[0],
            );
          }
          checked += 1;
        }
      }
      expect(checked, 'the connector has form items to check').toBeGreaterThan(0);
    });

    it('the first call with a hostile config throws only secret-free ConnectorErrors', async () => {
      const probe = await options.load(options.validConfig);
      for (const [label, value] of hostileConfigValues) {
        for (const mutation of mutationsOf(probe, options.validConfig, value)) {
          const config = structuredClone(options.validConfig) as Record<string, unknown>;
          mutation.apply(config);
          const what = `${mutation.path} = ${label}`;
          const accepted = probe.configGuard.safeParse(config).success;
          if (accepted && options.sendsOutsideHttp) {
            continue;
          }
          try {
            await options.firstCall(await options.load(config));
          } catch (error: unknown) {
            expect(error, `${what}: threw ${String(error)}`).toBeInstanceOf(ConnectorError);
            const { message, data } = error as ConnectorError;
            const text = `${message}\n${JSON.stringify(data) ?? ''}`;
            for (const secret of options.secrets) {
              expect(text.includes(secret), `${what}: an error holds a secret`).toBe(false);
            }
            if (!accepted) {
              expect((error as ConnectorError).code, what).toBe(ConnectorErrorCodes.InvalidConfig);
            }
          }
        }
      }
    });
  });
};
