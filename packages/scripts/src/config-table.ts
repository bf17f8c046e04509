import type { ConfigKey } from './config-keys';

/**
 * The README's configuration table, generated from the metadata's `formItems` and the config
 * guard: every key of the guard, required or not, described by its form item (what the console
 * shows) or else by its zod `.describe()`. Hand-written sections around the markers stay as they are.
 */

export const tableStartMarker = '<!-- generated:config-table -->';
export const tableEndMarker = '<!-- /generated:config-table -->';

export type FormItemLike = { key: string; label?: string; description?: string };

/** Default values longer than this are left to config.example.json. */
const maxDefaultLength = 40;

const cell = (text: string) =>
  text
    .replace(/\r?\n/g, ' ')
    .replace(/(?<!\\)\|/g, '\\|')
    .trim();

const defaultCell = (entry: ConfigKey) => {
  if (entry.defaultValue === undefined) {
    return '';
  }
  return entry.defaultValue.length > maxDefaultLength
    ? 'see `config.example.json`'
    : `\`${entry.defaultValue}\``;
};

export const configTableRows = (
  keys: readonly ConfigKey[],
  formItems: readonly FormItemLike[] = [],
): string[][] => {
  const items = new Map(formItems.map((item) => [item.key, item]));
  return keys.map((entry) => {
    const item = items.get(entry.key);
    const description = item?.description ?? entry.description ?? item?.label ?? '';
    return [
      `\`${entry.key}\``,
      entry.type,
      entry.required ? 'yes' : 'no',
      defaultCell(entry),
      cell(description),
    ];
  });
};

const header = ['Key', 'Type', 'Required', 'Default', 'Description'];

/** A Markdown table with padded columns (as a Markdown formatter would leave it). */
export const renderTable = (rows: readonly string[][]): string => {
  const all = [header, ...rows];
  const widths = header.map((_, column) =>
    Math.max(3, ...all.map((row) => [...(row[column] ?? '')].length)),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
};

export const renderConfigTable = (
  keys: readonly ConfigKey[],
  formItems?: readonly FormItemLike[],
) => renderTable(configTableRows(keys, formItems));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const sectionPattern = new RegExp(
  `${escapeRegExp(tableStartMarker)}\\n?([\\s\\S]*?)${escapeRegExp(tableEndMarker)}`,
);

export const hasTableMarkers = (readme: string) => sectionPattern.test(readme);

/** The README with the generated section replaced; throws when the markers are missing. */
export const replaceConfigTable = (readme: string, table: string): string => {
  if (!hasTableMarkers(readme)) {
    throw new Error(
      `no ${tableStartMarker} ... ${tableEndMarker} section; add the two markers where the table belongs`,
    );
  }
  return readme.replace(sectionPattern, () => `${tableStartMarker}\n${table}\n${tableEndMarker}`);
};

/** The cells of a Markdown table, padding ignored: a reformatted table is still up to date. */
const normalizeTable = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((part) => part.trim())
        .join('|'),
    )
    .join('\n');

export const isConfigTableUpToDate = (readme: string, table: string): boolean => {
  const current = sectionPattern.exec(readme)?.[1];
  return current !== undefined && normalizeTable(current) === normalizeTable(table);
};
