import { ConnectorConfigFormItemType, validateConfig } from '@logto/connector-kit';
import { generate } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from './config';
import {
  bypassesProxy,
  networkConfigGuard,
  proxyRouteFor,
  withNetworkConfig,
  withNetworkOption,
} from './network';

const hostileValues: unknown[] = [
  '',
  '   ',
  'x'.repeat(100_000),
  'value\r\nX-Injected: 1',
  '<script>',
  null,
  12_345,
  Number.NaN,
  true,
  ['a', 1, null],
  {},
  Object.create(null),
  JSON.parse('{"__proto__":{"polluted":true}}'),
  {
    toString: () => {
      throw new Error('toString called');
    },
  },
];

describe('the network config group', () => {
  const connectorGuard = withNetworkConfig(
    z
      .object({
        clientId: z.string(),
        scope: z
          .string()
          .optional()
          .transform((v) => v ?? 'openid'),
      })
      .superRefine((config, context) => {
        if (config.clientId === 'refused') {
          context.addIssue({ code: z.ZodIssueCode.custom, path: ['clientId'], message: 'no' });
        }
      }),
  );

  it("keeps the connector's own guard whole: transforms, refinements, and its keys", () => {
    expect(parseConfig(connectorGuard, { clientId: 'a' })).toEqual({
      clientId: 'a',
      scope: 'openid',
    });
    expect(() => parseConfig(connectorGuard, { clientId: 'refused' })).toThrow(/clientId: no/);
    expect(
      parseConfig(connectorGuard, {
        clientId: 'a',
        network: { proxy: ' http://u:p@proxy.internal:3128 ', noProxy: '' },
      }),
    ).toEqual({
      clientId: 'a',
      scope: 'openid',
      network: { proxy: 'http://u:p@proxy.internal:3128' },
    });
  });

  it('wraps a guard once, however many times it is asked', () => {
    expect(withNetworkConfig(connectorGuard)).toBe(connectorGuard);
  });

  it('refuses a proxy that is not an http(s) URL without repeating it (it may hold a password)', () => {
    for (const proxy of [
      'socks5://user:s3cret-pass@h:1',
      'proxy:3128',
      'http://u:s3cret-pass@h:1/path',
    ]) {
      const error = (() => {
        try {
          parseConfig(connectorGuard, { clientId: 'a', network: { proxy } });
        } catch (caught: unknown) {
          return caught as Error;
        }
        return undefined;
      })();
      expect(error?.message).toContain('network.proxy');
      expect(JSON.stringify(error)).not.toContain('s3cret');
    }
  });

  it('refuses a CA that is not PEM certificates, and an unknown key', async () => {
    expect(networkConfigGuard.safeParse({ ca: 'not a certificate' }).success).toBe(false);
    expect(
      networkConfigGuard.safeParse({
        ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
      }).success,
    ).toBe(false);
    expect(networkConfigGuard.safeParse({ proxyUrl: 'http://h:1' }).success).toBe(false);
    const { cert } = await generate([{ name: 'commonName', value: 'ca' }], {
      keyType: 'ec',
      curve: 'P-256',
    });
    expect(networkConfigGuard.safeParse({ ca: `${cert}\n${cert}` }).success).toBe(true);
  });

  it('answers every hostile value, in the group or in one of its fields, with invalid_config at worst', () => {
    for (const value of hostileValues) {
      for (const network of [value, { proxy: value }, { noProxy: value }, { ca: value }]) {
        try {
          validateConfig({ clientId: 'a', network }, connectorGuard);
        } catch (error: unknown) {
          expect((error as { code?: string }).code).toBe('invalid_config');
        }
      }
    }
  });

  it('adds a JSON form item to a connector that has a form, once', () => {
    const metadata = {
      id: 'x',
      formItems: [
        {
          key: 'clientId',
          label: 'Client ID',
          type: ConnectorConfigFormItemType.Text,
          required: true,
        },
      ],
    } as unknown as Parameters<typeof withNetworkOption>[0]['metadata'];
    const once = withNetworkOption({ metadata, configGuard: connectorGuard });
    expect(once.metadata.formItems?.map((item) => item.key)).toEqual(['clientId', 'network']);
    expect(withNetworkOption(once).metadata.formItems).toHaveLength(2);
  });
});

describe('NO_PROXY', () => {
  const url = (text: string) => new URL(text);
  it.each([
    ['https://api.example.com/x', 'example.com', true],
    ['https://api.example.com/x', '.example.com', true],
    ['https://api.example.com/x', '*.example.com', true],
    ['https://example.com/x', 'example.com', true],
    ['https://badexample.com/x', 'example.com', false],
    ['https://example.com/x', 'example.com:443', true],
    ['https://example.com:8443/x', 'example.com:443', false],
    ['http://127.0.0.1:8080/x', 'localhost, 127.0.0.1', true],
    ['http://[::1]:8080/x', '[::1]:8080', true],
    ['http://[::1]:8080/x', '::1', true],
    ['https://anything.test/x', '*', true],
    ['https://anything.test/x', '', false],
  ])('%s with NO_PROXY=%s bypasses: %s', (target, noProxy, expected) => {
    expect(bypassesProxy(url(target), noProxy)).toBe(expected);
  });

  it('reads a configured proxy with its credentials into a Proxy-Authorization value', () => {
    const route = proxyRouteFor(url('https://idp.example/x'), {
      proxy: 'https://us%40er:p%3Ass@proxy.internal',
    });
    expect(route?.address).toBe('proxy.internal:443');
    expect(route?.authorization).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
    expect(route?.source).toContain('network.proxy');
  });
});
