import { describe, expect, it } from 'vitest';
import type { DiscoveredConnector } from '../discovery';
import { runConfigOf } from '../emulators';
import { renderIndex } from '../pages';
import { configuredFactory, isEmulatorUrl } from './configured-factory';
import { createFirstSeenClock } from './first-seen-clock';
import { startTogether } from './start-together';

const stoppable = (name: string, stopped: string[]) => ({
  name,
  stop: async () => {
    stopped.push(name);
  },
});

describe('starting emulators together', () => {
  it('returns every started emulator under its name', async () => {
    const stopped: string[] = [];
    const started = await startTogether({
      a: Promise.resolve(stoppable('a', stopped)),
      b: Promise.resolve(stoppable('b', stopped)),
    });
    expect([started.a.name, started.b.name]).toEqual(['a', 'b']);
    expect(stopped).toEqual([]);
  });

  it('stops those that started when one fails, and throws its error', async () => {
    const stopped: string[] = [];
    await expect(
      startTogether({
        a: Promise.resolve(stoppable('a', stopped)),
        broken: Promise.reject(new Error('port in use')),
        c: Promise.resolve(stoppable('c', stopped)),
      }),
    ).rejects.toThrow('port in use');
    expect(stopped.sort()).toEqual(['a', 'c']);
  });
});

describe('the first-seen clock', () => {
  it('dates a message when first seen, and keeps that date', () => {
    let now = 1000;
    const clock = createFirstSeenClock(() => now);
    const message = {};
    expect(clock(message).getTime()).toBe(1000);
    now = 2000;
    expect(clock(message).getTime()).toBe(1000);
    expect(clock({}).getTime()).toBe(2000);
    expect(clock('ses-1').getTime()).toBe(2000);
    now = 3000;
    expect(clock('ses-1').getTime()).toBe(2000);
  });
});

describe('emulator presets', () => {
  const preset = {
    emulatorName: 'Twilio emulator',
    config: { accountSID: 'AC1' },
    usesEmulator: (config: Record<string, unknown>) => config.accountSID === 'AC1',
    formlessConfig: { endpoint: 'http://127.0.0.1:9/' },
  };

  it('adds the keys the form has no item for only to a config that uses the emulator', () => {
    expect(runConfigOf(preset, { accountSID: 'AC1' })).toEqual({
      accountSID: 'AC1',
      endpoint: 'http://127.0.0.1:9/',
    });
    // Someone's real account: the connector talks to Twilio.
    expect(runConfigOf(preset, { accountSID: 'AC2' })).toEqual({ accountSID: 'AC2' });
    expect(runConfigOf(undefined, { accountSID: 'AC1' })).toEqual({ accountSID: 'AC1' });
  });

  it('compares emulator URLs without trailing slashes, and nothing else', () => {
    expect(isEmulatorUrl('http://127.0.0.1:5/', 'http://127.0.0.1:5')).toBe(true);
    expect(isEmulatorUrl('http://127.0.0.1:5', 'http://127.0.0.1:5//')).toBe(true);
    expect(isEmulatorUrl('http://127.0.0.1:6', 'http://127.0.0.1:5')).toBe(false);
    expect(isEmulatorUrl(undefined, 'http://127.0.0.1:5')).toBe(false);
  });

  it("uses a package's configure export for the emulator, and the default export without one", () => {
    const made: unknown[] = [];
    const module = {
      default: (async () => ({})) as never,
      configureExampleConnector: (options: unknown) => {
        made.push(options);
        return async () => ({});
      },
    };
    expect(configuredFactory(module, 'configureExampleConnector', { endpoints: 1 })).toEqual(
      expect.any(Function),
    );
    expect(made).toEqual([{ endpoints: 1 }]);
    expect(configuredFactory(module, 'configureOtherConnector', {})).toBeUndefined();
  });

  it('lists a connector without an emulator as "real provider only", not hidden', () => {
    const connector = {
      slug: 'example',
      packageName: '@idplug/connector-example',
      type: 'Social',
      metadata: { name: { en: 'Example' }, description: { en: 'An example' } },
    } as unknown as DiscoveredConnector;
    const html = renderIndex([connector], [], () => undefined);
    expect(html).toContain('data-slug="example"');
    expect(html).toMatch(/data-testid="card-mode" data-mode="real">real provider only</);
  });
});
