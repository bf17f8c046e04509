import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above `from` holding `pnpm-workspace.yaml`. */
export const findRepositoryRoot = (from = path.dirname(fileURLToPath(import.meta.url))): string => {
  for (let directory = path.resolve(from); ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'pnpm-workspace.yaml'))) {
      return directory;
    }
    if (path.dirname(directory) === directory) {
      throw new Error(`No pnpm-workspace.yaml above ${from}`);
    }
  }
};

export type PackageManifest = {
  name?: string;
  version?: string;
  private?: boolean;
  type?: string;
  main?: string;
  types?: string;
  exports?: unknown;
  files?: string[];
  engines?: Record<string, string>;
  repository?: { type?: string; url?: string; directory?: string } | string;
  publishConfig?: Record<string, unknown>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  license?: string;
};

export type WorkspacePackage = {
  /** `connector-github`: the folder under `packages/`. */
  folder: string;
  directory: string;
  manifest: PackageManifest;
  isConnector: boolean;
};

export const readManifest = (directory: string): PackageManifest =>
  JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as PackageManifest;

/** Every `packages/*` folder with a package.json (the workspace's only glob), sorted. */
export const listWorkspacePackages = (root: string): WorkspacePackage[] => {
  const packagesDirectory = path.join(root, 'packages');
  return readdirSync(packagesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(packagesDirectory, entry.name))
    .filter((directory) => existsSync(path.join(directory, 'package.json')))
    .sort()
    .map((directory) => {
      const folder = path.basename(directory);
      return {
        folder,
        directory,
        manifest: readManifest(directory),
        isConnector: folder.startsWith('connector-'),
      };
    });
};

export const listConnectorPackages = (root: string): WorkspacePackage[] =>
  listWorkspacePackages(root).filter((entry) => entry.isConnector);
