import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeConfigKeys } from './config-keys';
import { isConfigTableUpToDate, renderConfigTable, replaceConfigTable } from './config-table';

const guard = z
  .object({
    clientId: z.string().min(1),
    issuer: z.string().url().optional(),
    method: z.enum(['basic', 'post']).default('basic').describe('How the client authenticates.'),
    timeout: z.number().optional().describe('Milliseconds | per call.'),
    templates: z.array(z.object({ usageType: z.string() })),
    prompts: z.array(z.enum(['none', 'consent'])).optional(),
  })
  .refine(() => true);

describe('config keys from a zod guard', () => {
  it('lists every key with required, type, default and description', () => {
    expect(describeConfigKeys(guard)).toEqual([
      { key: 'clientId', required: true, type: 'string' },
      { key: 'issuer', required: false, type: 'string (URL)' },
      {
        key: 'method',
        required: false,
        type: '"basic" \\| "post"',
        defaultValue: '"basic"',
        description: 'How the client authenticates.',
      },
      { key: 'timeout', required: false, type: 'number', description: 'Milliseconds | per call.' },
      { key: 'templates', required: true, type: 'object[]' },
      { key: 'prompts', required: false, type: '("none" \\| "consent")[]' },
    ]);
  });

  it('requires a key of a union of shapes only when every shape requires it', () => {
    const union = z.union([
      z.object({ issuer: z.string(), clientId: z.string() }),
      z.object({ tokenEndpoint: z.string(), clientId: z.string() }),
    ]);
    expect(describeConfigKeys(union).map(({ key, required }) => [key, required])).toEqual([
      ['issuer', false],
      ['clientId', true],
      ['tokenEndpoint', false],
    ]);
  });
});

describe('the README configuration table', () => {
  const table = renderConfigTable(describeConfigKeys(guard), [
    { key: 'clientId', label: 'Client ID', description: 'The OAuth client ID.' },
    { key: 'issuer', label: 'Issuer' },
  ]);

  it('prefers the form item description, then .describe(), then the label, escaping pipes', () => {
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^\| Key +\| Type +\| Required \| Default +\| Description +\|$/);
    expect(lines[2]).toMatch(/`clientId` .*\| yes .*The OAuth client ID\./);
    expect(lines[3]).toMatch(/`issuer` .*\| no .*Issuer/);
    expect(lines[4]).toMatch(/`method` .*`"basic"` .*How the client authenticates\./);
    expect(lines[5]).toContain('Milliseconds \\| per call.');
  });

  it('replaces only the section between the markers', () => {
    const readme =
      '# X\n\nHand-written.\n\n<!-- generated:config-table -->\nold\n<!-- /generated:config-table -->\n\nMore.\n';
    const updated = replaceConfigTable(readme, table);
    expect(
      updated.startsWith('# X\n\nHand-written.\n\n<!-- generated:config-table -->\n| Key'),
    ).toBe(true);
    expect(updated.endsWith('<!-- /generated:config-table -->\n\nMore.\n')).toBe(true);
    expect(isConfigTableUpToDate(updated, table)).toBe(true);
    expect(isConfigTableUpToDate(readme, table)).toBe(false);
  });

  it('counts a table whose padding was reformatted as up to date', () => {
    const unpadded = table
      .split('\n')
      .map((line) => line.replace(/ {2,}/g, ' '))
      .join('\n');
    const readme = `<!-- generated:config-table -->\n${unpadded}\n<!-- /generated:config-table -->\n`;
    expect(isConfigTableUpToDate(readme, table)).toBe(true);
  });

  it('refuses a README without the markers, saying what to add', () => {
    expect(() => replaceConfigTable('# X\n', table)).toThrow(/generated:config-table/);
  });
});
