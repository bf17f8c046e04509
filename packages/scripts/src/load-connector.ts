import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConnectorMetadata } from '@logto/connector-kit';

/**
 * A connector's metadata and config guard, from its SOURCE (`src/index.ts`, no build needed): its
 * default export is called as Logto calls it. Needs a TypeScript-aware loader: the CLIs run under
 * tsx, the tests under vitest.
 */
export type LoadedConnector = { metadata: ConnectorMetadata; configGuard: unknown };

export const loadConnectorFromSource = async (directory: string): Promise<LoadedConnector> => {
  const entry = pathToFileURL(path.join(directory, 'src', 'index.ts')).href;
  const module = (await import(entry)) as { default?: unknown };
  if (typeof module.default !== 'function') {
    throw new Error(`${entry} has no default export that creates the connector`);
  }
  const connector = (await module.default({
    getConfig: async () => ({}),
    getI18nEmailTemplate: async () => undefined,
  })) as Partial<LoadedConnector> | undefined;
  if (!connector?.metadata || !connector.configGuard) {
    throw new Error(
      `${entry}'s default export did not return a connector with metadata and a guard`,
    );
  }
  return { metadata: connector.metadata, configGuard: connector.configGuard };
};
