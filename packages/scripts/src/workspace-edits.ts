import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Adds `"<dependency>": "workspace:*"` to the devDependencies of a package.json with a line edit
 * (the rest of the file stays byte for byte), at its sorted place. Returns false when it is there
 * already. `@idplug/compat` needs every connector so that turbo builds it before the loader test.
 */
export const addWorkspaceDevDependency = (manifestPath: string, dependency: string): boolean => {
  const text = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(text) as { devDependencies?: Record<string, string> };
  const existing = manifest.devDependencies ?? {};
  if (dependency in existing) {
    return false;
  }
  const block = /("devDependencies"\s*:\s*\{)([^}]*)(\})/.exec(text);
  if (!block) {
    throw new Error(`${manifestPath} has no devDependencies block to add ${dependency} to`);
  }
  const [whole, opening, body = '', closing] = block;
  const lines = body.split('\n');
  const entryLines = lines.filter((line) => /^\s*"[^"]+"\s*:/.test(line));
  const indent = /^(\s*)/.exec(entryLines[0] ?? '')?.[1] ?? '    ';
  const newLine = `${indent}${JSON.stringify(dependency)}: "workspace:*"`;
  const keyOf = (line: string) => /^\s*"([^"]+)"/.exec(line)?.[1] ?? '';
  const next = entryLines.find((line) => keyOf(line).localeCompare(dependency, 'en') > 0);
  let newBody: string;
  if (next) {
    newBody = lines.flatMap((line) => (line === next ? [`${newLine},`, line] : [line])).join('\n');
  } else if (entryLines.length > 0) {
    const last = entryLines[entryLines.length - 1] as string;
    newBody = lines
      .flatMap((line) => (line === last ? [`${line.replace(/,?\s*$/, '')},`, newLine] : [line]))
      .join('\n');
  } else {
    newBody = `\n${newLine}\n  `;
  }
  const updated = text.replace(whole, `${opening}${newBody}${closing}`);
  JSON.parse(updated);
  writeFileSync(manifestPath, updated);
  return true;
};

/** The changeset that announces a new connector's first release (`pnpm changeset` writes the same). */
export const writeFirstReleaseChangeset = (
  root: string,
  name: string,
  summary: string,
): string | undefined => {
  const directory = path.join(root, '.changeset');
  if (!existsSync(directory)) {
    return undefined;
  }
  const file = path.join(directory, `${name}-first-release.md`);
  if (existsSync(file)) {
    return undefined;
  }
  writeFileSync(file, `---\n"@idplug/connector-${name}": minor\n---\n\n${summary}\n`);
  return file;
};
