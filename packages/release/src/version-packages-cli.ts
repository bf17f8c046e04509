import { versionPackages } from './version-packages';
import { findRepositoryRoot } from './workspace';

try {
  await versionPackages(findRepositoryRoot(process.cwd()));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
