import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackages } from './check-packages';
import { findRepositoryRoot } from './repository';
import { scaffoldTemplate, templateDirectory } from './scaffold';

/**
 * A scaffolded connector in a throwaway repository passes; each broken field is reported by name.
 * (The template test checks the passing case for every template; this one breaks things.)
 */
const root = findRepositoryRoot();
let repository = '';
const connector = () => path.join(repository, 'packages/connector-acme');
const manifestPath = () => path.join(connector(), 'package.json');
let pristine = '';

const scaffold = (directory: string, name: string) => {
  scaffoldTemplate(templateDirectory(root, 'social'), directory, {
    name,
    id: `${name}-universal`,
    target: name,
    displayName: 'Acme',
    scope: 'profile',
    endpoints: {
      authorizationEndpoint: 'https://acme.test/authorize',
      tokenEndpoint: 'https://acme.test/token',
      userInfoEndpoint: 'https://acme.test/userinfo',
    },
  });
  symlinkSync(
    path.join(root, 'packages/scripts/node_modules'),
    path.join(directory, 'node_modules'),
  );
};

beforeAll(() => {
  repository = mkdtempSync(path.join(os.tmpdir(), 'idplug-check-'));
  for (const file of ['package.json', 'tsconfig.base.json']) {
    cpSync(path.join(root, file), path.join(repository, file));
  }
  cpSync(path.join(root, 'packages/scripts'), path.join(repository, 'packages/scripts-copy'), {
    recursive: true,
    filter: (source) => !source.includes('node_modules'),
  });
  rmSync(path.join(repository, 'packages/scripts-copy'), { recursive: true });
  scaffoldTemplate(templateDirectory(root, 'social'), connector(), {
    name: 'acme',
    id: 'acme-universal',
    target: 'acme',
    displayName: 'Acme',
    scope: 'profile',
    endpoints: {
      authorizationEndpoint: 'https://acme.test/authorize',
      tokenEndpoint: 'https://acme.test/token',
      userInfoEndpoint: 'https://acme.test/userinfo',
    },
  });
  symlinkSync(
    path.join(root, 'packages/scripts/node_modules'),
    path.join(connector(), 'node_modules'),
  );
  pristine = readFileSync(manifestPath(), 'utf8');
});
afterAll(() => rmSync(repository, { recursive: true, force: true }));

const withManifest = async (edit: (manifest: Record<string, unknown>) => void) => {
  const manifest = JSON.parse(pristine) as Record<string, unknown>;
  edit(manifest);
  writeFileSync(manifestPath(), JSON.stringify(manifest));
  try {
    return (await checkPackages(repository)).map((problem) => problem.message);
  } finally {
    writeFileSync(manifestPath(), pristine);
  }
};

describe('pnpm check:packages', () => {
  it('accepts a freshly scaffolded connector', async () => {
    expect(await checkPackages(repository)).toEqual([]);
  });

  it.each([
    [
      'a name that is not the folder',
      (m: Record<string, unknown>) => (m.name = '@idplug/acme'),
      /must be "@idplug\/connector-acme"/,
    ],
    ['CommonJS', (m: Record<string, unknown>) => (m.type = 'commonjs'), /"type" must be "module"/],
    [
      'another connector-kit range',
      (m: Record<string, unknown>) => (m.dependencies = { '@logto/connector-kit': '^5.0.0' }),
      /\^4\.7\.0 \|\| \^5\.0\.0/,
    ],
    [
      'a runtime dependency',
      (m: Record<string, unknown>) =>
        (m.dependencies = { '@logto/connector-kit': '^4.7.0 || ^5.0.0', zod: '3.24.3' }),
      /move zod to devDependencies/,
    ],
    [
      'a wrong repository directory',
      (m: Record<string, unknown>) =>
        (m.repository = {
          type: 'git',
          url: 'git+https://github.com/idplug/idplug.git',
          directory: 'packages/acme',
        }),
      /"directory": "packages\/connector-acme"/,
    ],
    [
      'no publishConfig',
      (m: Record<string, unknown>) => delete m.publishConfig,
      /publishConfig\.access/,
    ],
    ['no engines', (m: Record<string, unknown>) => delete m.engines, /engines\.node/],
    ['no exports', (m: Record<string, unknown>) => delete m.exports, /"exports" has no "\." entry/],
    [
      'an unshipped logo',
      (m: Record<string, unknown>) => (m.files = ['lib', 'README.md', 'config.example.json']),
      /"files" must list logo\.svg/,
    ],
    [
      'a version changesets cannot bump',
      (m: Record<string, unknown>) => delete m.version,
      /not a semver version/,
    ],
  ])('reports %s', async (_, edit, message) => {
    const problems = await withManifest(edit);
    expect(
      problems.some((problem) => message.test(problem)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('reports a form item the config guard does not know, and a config example it refuses', async () => {
    // Another package: the first one's modules are cached by now.
    const broken = path.join(repository, 'packages/connector-broken');
    scaffold(broken, 'broken');
    const constants = path.join(broken, 'src/constants.ts');
    writeFileSync(
      constants,
      readFileSync(constants, 'utf8').replace("key: 'scope'", "key: 'scopes'"),
    );
    writeFileSync(path.join(broken, 'config.example.json'), '{ "clientId": "x" }');
    try {
      const messages = (await checkPackages(repository))
        .map((problem) => problem.message)
        .join('\n');
      expect(messages).toMatch(/formItems has "scopes", which the config guard does not know/);
      expect(messages).toMatch(/config\.example\.json does not parse/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
