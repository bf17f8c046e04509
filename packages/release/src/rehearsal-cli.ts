import { rehearseRelease } from './rehearsal';
import { findRepositoryRoot } from './workspace';

const keep = process.argv.includes('--keep');
const source = process.argv.includes('--head') ? 'head' : 'worktree';
const started = Date.now();
try {
  const result = await rehearseRelease({
    repositoryRoot: findRepositoryRoot(process.cwd()),
    keep,
    source,
  });
  const seconds = Math.round(result.durationMs / 1000);
  const bumped = result.packages.filter(({ from, to }) => from !== to);
  console.log(
    `\nRelease rehearsal passed in ${seconds} s against Verdaccio on ${result.registryUrl} (now stopped).`,
  );
  console.log(
    `  versioned  ${bumped.map(({ name, from, to }) => `${name} ${from} -> ${to}`).join(', ')}`,
  );
  console.log(`  published  ${result.packages.map(({ name, to }) => `${name}@${to}`).join(', ')}`);
  console.log(
    `  loaded     ${result.connectorsLoaded
      .map(
        ({ cli, connectorKit, loaded }) =>
          `${loaded} connector(s) in @logto/cli ${cli} (connector-kit ${connectorKit})`,
      )
      .join('; ')}`,
  );
  console.log(
    `  timings    ${result.steps.map(({ name, durationMs }) => `${name} ${Math.round(durationMs / 1000)} s`).join('; ')}`,
  );
  console.log(`rehearsal: ${result.passed.length} passed, 0 failed`);
} catch (error) {
  console.error(`\nRelease rehearsal FAILED after ${Math.round((Date.now() - started) / 1000)} s:`);
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  console.log('rehearsal: 0 passed, 1 failed');
  process.exitCode = 1;
}
