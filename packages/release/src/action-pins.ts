/**
 * The actions our workflows may use, each pinned to the commit its release tag points at. A pin is
 * added here only after checking it against the action's own repository:
 * `git rev-parse <tag>^{commit}` in a clone of it must print the SHA. The workflow test fails on a
 * `uses:` that is not in this table (a mistyped or unreviewed SHA) and on a `with:` input the
 * action does not declare at that version (from its action.yml).
 */
export type ActionPin = {
  sha: string;
  version: string;
  inputs: readonly string[];
};

export const actionPins: Readonly<Record<string, ActionPin>> = {
  'actions/checkout': {
    sha: '3d3c42e5aac5ba805825da76410c181273ba90b1',
    version: 'v7.0.1',
    inputs: [
      'repository',
      'ref',
      'token',
      'ssh-key',
      'ssh-known-hosts',
      'ssh-strict',
      'ssh-user',
      'persist-credentials',
      'path',
      'clean',
      'filter',
      'sparse-checkout',
      'sparse-checkout-cone-mode',
      'fetch-depth',
      'fetch-tags',
      'show-progress',
      'lfs',
      'submodules',
      'set-safe-directory',
      'github-server-url',
      'allow-unsafe-pr-checkout',
    ],
  },
  'actions/setup-node': {
    sha: '820762786026740c76f36085b0efc47a31fe5020',
    version: 'v7.0.0',
    inputs: [
      'node-version',
      'node-version-file',
      'architecture',
      'check-latest',
      'registry-url',
      'scope',
      'token',
      'cache',
      'package-manager-cache',
      'cache-dependency-path',
      'mirror',
      'mirror-token',
    ],
  },
  'pnpm/action-setup': {
    sha: 'fe02b34f77f8bc703788d5817da081398fad5dd2',
    version: 'v4.0.0',
    inputs: ['version', 'dest', 'run_install', 'package_json_file', 'standalone'],
  },
  // The release app's installation token (the Version Packages pull request then gets CI).
  'actions/create-github-app-token': {
    sha: '1b10c78c7865c340bc4f6099eb2f838309f1e8c3',
    version: 'v3.1.1',
    // Its action.yml also declares a `permission-<name>` input per GitHub App permission; only
    // the ones a workflow may ask for are listed, so a wider token fails this check.
    inputs: [
      'client-id',
      'app-id',
      'private-key',
      'owner',
      'repositories',
      'skip-token-revoke',
      'github-api-url',
      'permission-contents',
      'permission-pull-requests',
    ],
  },
  // v1, not v2: changesets/action v2 drives Changesets 3, and this repository uses @changesets/cli 2.
  'changesets/action': {
    sha: 'a45c4d594aa4e2c509dc14a9f2b3b67ba3780d0d',
    version: 'v1.9.0',
    inputs: [
      'github-token',
      'publish',
      'version',
      'cwd',
      'commit',
      'title',
      'setupGitUser',
      'createGithubReleases',
      'commitMode',
      'branch',
      'prDraft',
    ],
  },
};
