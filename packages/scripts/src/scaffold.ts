import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ConnectorKind, camelCase, pascalCase } from './names';

/**
 * Fills a template folder (`templates/<kind>`) into a new package folder. Templates are real
 * TypeScript, JSON and Markdown: their placeholders (`__name__`, `create__Name__Connector`) are
 * valid identifiers and strings, so biome lints the templates as they are checked in.
 */

export type TemplateValues = {
  /** `acme`: the package is `@idplug/connector-acme` in `packages/connector-acme`. */
  name: string;
  id: string;
  target: string;
  displayName: string;
  /** Social: `authorizationEndpoint`, `tokenEndpoint`, `userInfoEndpoint`; email/SMS: `sendEndpoint`. */
  endpoints: Record<string, string>;
  /** Social only: the scope requested when the sign-in names none. */
  scope?: string;
};

/** Each placeholder and its value; every one a template uses must be listed here. */
export const placeholdersOf = (values: TemplateValues): Record<string, string> => ({
  __name__: values.name,
  __Name__: pascalCase(values.name),
  __camelName__: camelCase(values.name),
  __id__: values.id,
  __target__: values.target,
  __displayName__: values.displayName,
  __scope__: values.scope ?? '',
  ...Object.fromEntries(
    Object.entries(values.endpoints).map(([key, value]) => [`__${key}__`, value]),
  ),
});

const placeholderPattern = /__[A-Za-z]+__/g;

export const fillPlaceholders = (text: string, placeholders: Record<string, string>): string =>
  text.replace(placeholderPattern, (token) => placeholders[token] ?? token);

/** Files a scaffold never copies: build output and installs of someone who built a template. */
const skipped = new Set(['node_modules', 'lib', '.turbo']);

const listTemplateFiles = (directory: string, prefix = ''): string[] =>
  readdirSync(directory, { withFileTypes: true })
    .filter((entry) => !skipped.has(entry.name))
    .flatMap((entry) =>
      entry.isDirectory()
        ? listTemplateFiles(path.join(directory, entry.name), path.join(prefix, entry.name))
        : [path.join(prefix, entry.name)],
    )
    .sort();

export const templateDirectory = (root: string, kind: ConnectorKind) =>
  path.join(root, 'templates', kind);

/**
 * Writes the filled template into `destination` (which must not exist yet) and returns the files
 * written, relative to it. Throws when a placeholder is left over: a template using a token this
 * script does not know is a bug to catch here, not in a contributor's package.
 */
export const scaffoldTemplate = (
  templateRoot: string,
  destination: string,
  values: TemplateValues,
): string[] => {
  const placeholders = placeholdersOf(values);
  const files = listTemplateFiles(templateRoot);
  mkdirSync(destination, { recursive: false });
  for (const file of files) {
    const filled = fillPlaceholders(
      readFileSync(path.join(templateRoot, file), 'utf8'),
      placeholders,
    );
    const leftover = filled.match(placeholderPattern)?.filter((token) => token !== '__proto__');
    if (leftover && leftover.length > 0) {
      throw new Error(
        `${path.join(templateRoot, file)} uses unknown placeholders: ${leftover.join(', ')}`,
      );
    }
    mkdirSync(path.dirname(path.join(destination, file)), { recursive: true });
    writeFileSync(path.join(destination, file), filled);
  }
  return files;
};
