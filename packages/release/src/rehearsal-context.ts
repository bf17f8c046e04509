import path from 'node:path';
import type { TarballCheck } from './publish-checks';
import type { LocalRegistry } from './registry';
import type { WorkspacePackage } from './workspace';

/**
 * What the rehearsal's steps share: where they work, the environment their commands run with,
 * the assertions that held, and what each step leaves for the next ones (set by the step named in
 * its comment; read through `required`).
 */
export type RehearsalContext = {
  repositoryRoot: string;
  source: 'worktree' | 'head';
  /** The temporary folder: the copy, the registry's storage, the operator's tarballs. */
  workDirectory: string;
  /** The copy of the repository the release runs in. */
  copy: string;
  log: (line: string) => void;
  /** Records an assertion that must hold; throws a `RehearsalFailure` when it does not. */
  check: (condition: unknown, description: string, detail?: string) => void;
  /** The assertions that held, in order. */
  passed: string[];
  /** The caller's environment without tokens or npm settings, and no telemetry. */
  baseEnvironment: NodeJS.ProcessEnv;
  /** install: the registry pnpm reads from, proxied by the local one. */
  uplink?: string;
  /** registry */
  registry?: LocalRegistry;
  /** registry: `baseEnvironment` pointed at the local registry only. */
  environment?: NodeJS.ProcessEnv;
  /** registry: the workspace before versioning. */
  before?: WorkspacePackage[];
  /** registry: the connectors that bundle @idplug/base. */
  baseDependents?: string[];
  /** changeset */
  sampleCommit?: string;
  /** version: the workspace after versioning. */
  after?: WorkspacePackage[];
  /** npm pack: each public package's tarball, fetched back from the registry. */
  tarballs?: Map<string, string>;
  /** publint+attw */
  checks?: TarballCheck[];
  /** Logto loader */
  connectorsLoaded?: { cli: string; connectorKit: string; loaded: number }[];
};

export class RehearsalFailure extends Error {
  override name = 'RehearsalFailure';
}

/** A value an earlier step sets; a missing one is a step list in the wrong order. */
export const required = <Value>(value: Value | undefined, what: string): Value => {
  if (value === undefined) {
    throw new Error(`The rehearsal step that sets ${what} has not run`);
  }
  return value;
};

/** Tokens and npm settings that must not reach the rehearsal's commands. */
const callerOnly =
  /^(npm_config_|NPM_CONFIG_)|^(NPM_TOKEN|NODE_AUTH_TOKEN|GITHUB_TOKEN|GH_TOKEN|ACTIONS_ID_TOKEN_REQUEST_.*)$/;

/**
 * Everything the commands run with. No token or provenance setting of the caller's gets through,
 * and no tool phones home (the network is for reading from the npm registry only).
 */
export const isolatedEnvironment = (environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(environment).filter(([name]) => !callerOnly.test(name))),
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  GIT_TERMINAL_PROMPT: '0',
});

export const createRehearsalContext = ({
  repositoryRoot,
  source,
  workDirectory,
  log,
}: Pick<RehearsalContext, 'repositoryRoot' | 'source' | 'workDirectory' | 'log'>) => {
  const passed: string[] = [];
  const context: RehearsalContext = {
    repositoryRoot,
    source,
    workDirectory,
    copy: path.join(workDirectory, 'repo'),
    log,
    passed,
    baseEnvironment: isolatedEnvironment(process.env),
    check: (condition, description, detail = '') => {
      if (!condition) {
        throw new RehearsalFailure(`${description}: FAILED${detail ? `\n${detail}` : ''}`);
      }
      passed.push(description);
      log(`  ✓ ${description}`);
    },
  };
  return context;
};
