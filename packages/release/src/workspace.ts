import { existsSync } from 'node:fs';
import path from 'node:path';
import { getPackages } from '@manypkg/get-packages';

export type WorkspacePackage = {
  name: string;
  version: string;
  private: boolean;
  directory: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The workspace's packages as changesets sees them (same `@manypkg/get-packages`). */
export const listWorkspacePackages = async (root: string): Promise<WorkspacePackage[]> => {
  const { packages } = await getPackages(root);
  return packages
    .map(({ packageJson, dir }) => ({
      name: packageJson.name,
      version: packageJson.version,
      private: packageJson.private === true,
      directory: dir,
      dependencies: packageJson.dependencies ?? {},
      devDependencies: packageJson.devDependencies ?? {},
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
};

/** The repository root: the nearest folder above `from` holding `pnpm-workspace.yaml`. */
export const findRepositoryRoot = (from: string): string => {
  for (let directory = path.resolve(from); ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'pnpm-workspace.yaml'))) {
      return directory;
    }
    if (path.dirname(directory) === directory) {
      throw new Error(`No pnpm-workspace.yaml above ${from}`);
    }
  }
};
