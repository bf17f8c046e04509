import { ConnectorError } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, parseConfig } from './config';

const guard = z.object({
  clientId: z.string(),
  timeout: z.number().default(10_000),
  templates: z.array(z.object({ usageType: z.string(), content: z.string() })),
});

describe('config validation', () => {
  it('applies the guard’s defaults', () => {
    expect(parseConfig(guard, { clientId: 'a', templates: [] })).toEqual({
      clientId: 'a',
      timeout: 10_000,
      templates: [],
    });
  });

  it('lists readable paths in invalid_config', () => {
    const error = (() => {
      try {
        parseConfig(guard, {
          templates: [{ usageType: 'SignIn', content: 'x' }, {}, { content: 'y' }],
        });
      } catch (caught: unknown) {
        return caught as ConnectorError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.code).toBe('invalid_config');
    const { message } = error.data as { message: string };
    expect(message).toContain('clientId: Required');
    expect(message).toContain('templates[1].usageType: Required');
    expect(message).toContain('templates[2].usageType: Required');
  });

  it('turns a getConfig failure that is not a ConnectorError into one', async () => {
    const error = await loadConfig(
      async () => {
        throw new Error('database down');
      },
      'github-universal',
      guard,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(JSON.stringify((error as ConnectorError).data)).toContain('database down');
  });
});
