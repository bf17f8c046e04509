import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TarballCheck } from './publish-checks';
import { createRehearsalContext, type RehearsalContext, required } from './rehearsal-context';
import { copyStep, installStep } from './rehearsal-copy';
import { logtoLoaderStep, npmPackStep, tarballChecksStep } from './rehearsal-operator';
import { buildStep, publishGuardStep, publishStep } from './rehearsal-publish';
import { registryStep } from './rehearsal-registry';
import { runSteps, type Step, type StepTiming } from './rehearsal-runner';
import { changesetStep, versionOf, versionStep } from './rehearsal-version';

/**
 * The release rehearsal: the whole release, from a pending changeset to a connector loaded by
 * Logto, against a throwaway Verdaccio on 127.0.0.1. Nothing is published anywhere else: the copy's
 * registry, its user config and the `npm_config_registry` that `changeset publish` reads all name
 * the local registry, and that is checked before anything is published.
 */

export { RehearsalFailure } from './rehearsal-context';
export { copyHead, copyWorkingTree } from './rehearsal-copy';
export { githubRepository, sampleChangesetId, samplePullRequest } from './rehearsal-version';

/** The steps, in order; each one's file says what it does and what it leaves for the next. */
export const rehearsalSteps: readonly Step<RehearsalContext>[] = [
  copyStep,
  installStep,
  registryStep,
  changesetStep,
  versionStep,
  publishGuardStep,
  buildStep,
  publishStep,
  npmPackStep,
  tarballChecksStep,
  logtoLoaderStep,
];

export type RehearsalOptions = {
  /** The repository to rehearse (its working tree, as git sees it: tracked and untracked files). */
  repositoryRoot: string;
  /**
   * What to rehearse: `worktree` (default) copies the working tree as git sees it, tracked and
   * untracked files, so a change can be rehearsed before it is committed; `head` copies the last
   * commit only (`git archive HEAD`), ignoring work in progress. In a fresh clone they are the same.
   */
  source?: 'worktree' | 'head';
  /** Keep the temporary folder (the copy, the registry storage, the tarballs) for a post-mortem. */
  keep?: boolean;
  log?: (line: string) => void;
};

export type RehearsalResult = {
  durationMs: number;
  /** How long each step took, in order. */
  steps: StepTiming[];
  registryUrl: string;
  /** Every public package, with the version before and after `pnpm version-packages`. */
  packages: { name: string; from: string; to: string }[];
  connectorsLoaded: { cli: string; connectorKit: string; loaded: number }[];
  checks: TarballCheck[];
  /** The assertions that held, in order; the rehearsal throws at the first that does not. */
  passed: string[];
};

export const rehearseRelease = async ({
  repositoryRoot,
  source = 'worktree',
  keep = false,
  log = console.log,
}: RehearsalOptions): Promise<RehearsalResult> => {
  const workDirectory = await mkdtemp(path.join(os.tmpdir(), 'idplug-release-rehearsal-'));
  const context = createRehearsalContext({ repositoryRoot, source, workDirectory, log });
  const { durationMs, steps } = await runSteps({
    steps: rehearsalSteps,
    context,
    log,
    cleanUp: async () => {
      await context.registry?.stop();
      if (keep) {
        log(`release rehearsal: kept ${workDirectory}`);
      } else {
        await rm(workDirectory, { recursive: true, force: true });
      }
    },
  });
  const after = required(context.after, 'the versioned workspace');
  return {
    durationMs,
    steps,
    registryUrl: required(context.registry, 'the registry').url,
    packages: required(context.before, 'the workspace before versioning')
      .filter((pkg) => !pkg.private)
      .map(({ name, version }) => ({ name, from: version, to: versionOf(after, name) ?? version })),
    connectorsLoaded: required(context.connectorsLoaded, 'the loaded connectors'),
    checks: required(context.checks, 'the tarball checks'),
    passed: context.passed,
  };
};
