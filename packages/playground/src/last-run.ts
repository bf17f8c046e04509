import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the previous `pnpm playground` ran on, so a page can warn that the callback URL registered
 * at a real provider no longer matches (the port fell back to another one). Kept under the
 * package's `node_modules/.cache`, which git ignores and a fresh clone does not have.
 */

export const defaultLastRunFile = (): string =>
  join(
    fileURLToPath(new URL('.', import.meta.url)),
    '..',
    'node_modules',
    '.cache',
    'idplug-playground',
    'last-run.json',
  );

export const readLastBaseUrl = async (file: string): Promise<string | undefined> => {
  try {
    const { baseUrl } = JSON.parse(await readFile(file, 'utf8')) as { baseUrl?: unknown };
    return typeof baseUrl === 'string' ? baseUrl : undefined;
  } catch {
    // No previous run (or an unreadable file): nothing to compare with.
    return undefined;
  }
};

export const writeLastBaseUrl = async (file: string, baseUrl: string): Promise<void> => {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ baseUrl })}\n`);
};
