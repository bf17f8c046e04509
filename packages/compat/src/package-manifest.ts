import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The few `package.json` fields this package reads. */
export type PackageManifest = {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const readDependencyMap = (value: unknown, field: string, file: string): Record<string, string> => {
  if (value === undefined) {
    return {};
  }
  if (!isRecord(value) || !Object.values(value).every((range) => typeof range === 'string')) {
    throw new Error(`${file}: "${field}" is not a map of package names to version ranges`);
  }
  return value as Record<string, string>;
};

/** Reads and checks `<directory>/package.json`; errors name the file. */
export const readPackageManifest = (directory: string): PackageManifest => {
  const file = path.join(directory, 'package.json');
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isRecord(raw) || typeof raw.name !== 'string' || typeof raw.version !== 'string') {
    throw new Error(`${file}: "name" and "version" must be strings`);
  }
  return {
    name: raw.name,
    version: raw.version,
    dependencies: readDependencyMap(raw.dependencies, 'dependencies', file),
    devDependencies: readDependencyMap(raw.devDependencies, 'devDependencies', file),
  };
};
