import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeConfigKeys } from './config-keys';
import { isConfigTableUpToDate, renderConfigTable, replaceConfigTable } from './config-table';
import { type LoadedConnector, loadConnectorFromSource } from './load-connector';

export type ReadmeResult = {
  directory: string;
  status: 'up-to-date' | 'updated' | 'outdated' | 'error';
  message?: string;
};

export const configTableOf = ({ metadata, configGuard }: LoadedConnector) =>
  renderConfigTable(describeConfigKeys(configGuard), metadata.formItems ?? []);

/** Regenerates (or, with `check`, only compares) one connector README's configuration table. */
export const updateConnectorReadme = async (
  directory: string,
  { check = false }: { check?: boolean } = {},
): Promise<ReadmeResult> => {
  const readmePath = path.join(directory, 'README.md');
  try {
    if (!existsSync(readmePath)) {
      return { directory, status: 'error', message: 'README.md is missing' };
    }
    const readme = readFileSync(readmePath, 'utf8');
    const table = configTableOf(await loadConnectorFromSource(directory));
    const updated = replaceConfigTable(readme, table);
    if (isConfigTableUpToDate(readme, table)) {
      return { directory, status: 'up-to-date' };
    }
    if (check) {
      return {
        directory,
        status: 'outdated',
        message: 'the configuration table differs from the metadata and config guard',
      };
    }
    writeFileSync(readmePath, updated);
    return { directory, status: 'updated' };
  } catch (error: unknown) {
    return {
      directory,
      status: 'error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
};

/**
 * A template's README table, generated like a connector's: the template is copied as it is (its
 * placeholders are valid code) into a temporary folder whose `node_modules` is this package's, which
 * holds every dependency a template has, and loaded from there.
 */
export const updateTemplateReadme = async (
  root: string,
  templateName: string,
  { check = false }: { check?: boolean } = {},
): Promise<ReadmeResult> => {
  const template = path.join(root, 'templates', templateName);
  const temporary = await mkdtemp(path.join(os.tmpdir(), `idplug-docs-${templateName}-`));
  try {
    await cp(template, temporary, {
      recursive: true,
      filter: (source) => !/(^|[/\\])(node_modules|lib)$/.test(source),
    });
    await symlink(
      path.join(root, 'packages', 'scripts', 'node_modules'),
      path.join(temporary, 'node_modules'),
      'dir',
    );
    const result = await updateConnectorReadme(temporary, { check });
    if (result.status === 'updated') {
      writeFileSync(
        path.join(template, 'README.md'),
        readFileSync(path.join(temporary, 'README.md')),
      );
    }
    return { ...result, directory: template };
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
};

export const templateNames = (root: string): string[] =>
  existsSync(path.join(root, 'templates'))
    ? readdirSync(path.join(root, 'templates'), { withFileTypes: true })
        .filter(
          (entry) =>
            entry.isDirectory() &&
            existsSync(path.join(root, 'templates', entry.name, 'src', 'index.ts')),
        )
        .map((entry) => entry.name)
        .sort()
    : [];
