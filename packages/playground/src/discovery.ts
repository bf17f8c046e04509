import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type AllConnector,
  type ConnectorMetadata,
  ConnectorType,
  type CreateConnector,
} from '@logto/connector-kit';

/**
 * Finds the connectors of the workspace: every `packages/connector-*` folder, no list kept by
 * hand. Each one is imported from its source (`src/index.ts`, through tsx or vitest), so the
 * playground runs the code as it is in the work tree, without a build; `lib` imports the built
 * `lib/index.js` instead, the file Logto loads.
 */

export type ConnectorModule = {
  default: CreateConnector<AllConnector>;
  [name: string]: unknown;
};

export type DiscoveredConnector = {
  /** The folder name without `connector-`: `github`. Used in the playground's URLs. */
  slug: string;
  directory: string;
  packageName: string;
  packageVersion: string;
  module: ConnectorModule;
  metadata: ConnectorMetadata;
  type: ConnectorType;
  /** The connector's own config guard (what Logto validates a config with). */
  configGuard: AllConnector['configGuard'];
};

/** A connector folder that could not be loaded: shown on the page with the reason. */
export type BrokenConnector = { slug: string; directory: string; error: string };

export type DiscoveryResult = { connectors: DiscoveredConnector[]; broken: BrokenConnector[] };

export type ConnectorSource = 'src' | 'lib';

/** `packages/` of this workspace (the playground is `packages/playground`). */
export const workspacePackagesDirectory = (): string =>
  resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

const isDirectory = async (path: string) =>
  (await stat(path).catch(() => undefined))?.isDirectory();

/** The factory's connector with no config: enough to read its metadata, type and guard. */
const instantiate = (createConnector: CreateConnector<AllConnector>) =>
  createConnector({
    getConfig: async () => {
      throw new Error('The playground reads metadata only');
    },
  });

export const loadConnector = async (
  directory: string,
  source: ConnectorSource = 'src',
): Promise<DiscoveredConnector> => {
  const slug = directory
    .split(/[\\/]/)
    .pop()!
    .replace(/^connector-/, '');
  const packageJson = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as {
    name?: string;
    version?: string;
  };
  const entry = join(directory, source === 'src' ? 'src/index.ts' : 'lib/index.js');
  const module = (await import(pathToFileURL(entry).href)) as ConnectorModule;
  if (typeof module.default !== 'function') {
    throw new Error(`${entry} has no default export (a CreateConnector function)`);
  }
  const connector = await instantiate(module.default);
  if (!Object.values(ConnectorType).includes(connector.type)) {
    throw new Error(`the connector's type is ${String(connector.type)}`);
  }
  return {
    slug,
    directory,
    packageName: packageJson.name ?? slug,
    packageVersion: packageJson.version ?? '0.0.0',
    module,
    metadata: connector.metadata,
    type: connector.type,
    configGuard: connector.configGuard,
  };
};

export const discoverConnectors = async (
  options: { packagesDirectory?: string; source?: ConnectorSource } = {},
): Promise<DiscoveryResult> => {
  const packagesDirectory = options.packagesDirectory ?? workspacePackagesDirectory();
  const names = (await readdir(packagesDirectory)).filter((name) => name.startsWith('connector-'));
  const connectors: DiscoveredConnector[] = [];
  const broken: BrokenConnector[] = [];
  for (const name of names.sort()) {
    const directory = join(packagesDirectory, name);
    if (!(await isDirectory(directory))) {
      continue;
    }
    try {
      connectors.push(await loadConnector(directory, options.source));
    } catch (error) {
      broken.push({
        slug: name.replace(/^connector-/, ''),
        directory,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { connectors, broken };
};

/** A stand-in for a connector without a logo file: its initial on a grey square. */
const placeholderLogo = (name: string) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="8" fill="#8a8a94"/><text x="20" y="27" font-family="sans-serif" font-size="20" text-anchor="middle" fill="#fff">${(
      name.trim()[0] ?? '?'
    )
      .toUpperCase()
      .replace(/[<>&"']/g, '?')}</text></svg>`,
  );

/**
 * The connector's logo (`metadata.logo` is a path relative to the package, or a URL); a
 * placeholder when the file is missing (the conformance suite reports that, not the playground).
 */
export const readLogo = async (
  connector: DiscoveredConnector,
): Promise<{ svg: Buffer; placeholder: boolean } | { url: string }> => {
  const logo = connector.metadata.logo;
  if (/^https?:\/\//.test(logo)) {
    return { url: logo };
  }
  const path = resolve(connector.directory, logo);
  const svg = path.startsWith(connector.directory)
    ? await readFile(path).catch(() => undefined)
    : undefined;
  return svg === undefined
    ? { svg: placeholderLogo(connector.metadata.name.en ?? connector.slug), placeholder: true }
    : { svg, placeholder: false };
};
