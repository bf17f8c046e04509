import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateConnectorError, createConnector, existingConnectorIds } from './create-connector';
import { loadConnectorFromSource } from './load-connector';
import { findRepositoryRoot, listConnectorPackages } from './repository';
import { addWorkspaceDevDependency } from './workspace-edits';

/** A throwaway repository with the real templates, a compat package and one existing connector. */
const fakeRepositories: string[] = [];
const fakeRepository = () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'idplug-create-'));
  fakeRepositories.push(root);
  writeFileSync(path.join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  cpSync(path.join(findRepositoryRoot(), 'templates'), path.join(root, 'templates'), {
    recursive: true,
  });
  mkdirSync(path.join(root, '.changeset'));
  mkdirSync(path.join(root, 'packages/compat'), { recursive: true });
  writeFileSync(
    path.join(root, 'packages/compat/package.json'),
    `{\n  "name": "@idplug/compat",\n  "devDependencies": {\n    "@idplug/connector-github": "workspace:*",\n    "tar": "7.5.23"\n  }\n}\n`,
  );
  mkdirSync(path.join(root, 'packages/connector-github/src'), { recursive: true });
  writeFileSync(
    path.join(root, 'packages/connector-github/package.json'),
    '{ "name": "@idplug/connector-github" }',
  );
  writeFileSync(
    path.join(root, 'packages/connector-github/src/constants.ts'),
    "export const metadata = { id: 'github-universal' };\n",
  );
  return root;
};
afterEach(() => {
  for (const root of fakeRepositories.splice(0)) {
    rmSync(root, { recursive: true, force: true });
  }
});

const quiet = { log: () => undefined, install: false };

describe('pnpm create-connector', () => {
  it('creates the package, lists it in compat, writes a changeset, and fills every placeholder', async () => {
    const root = fakeRepository();
    const lines: string[] = [];
    await createConnector({
      root,
      input: {
        name: 'acme',
        kind: 'social',
        endpoints: { 'token-endpoint': 'https://login.acme.test/token' },
      },
      install: false,
      log: (line) => lines.push(line),
    });
    const directory = path.join(root, 'packages/connector-acme');
    const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@idplug/connector-acme');
    expect(manifest.repository.directory).toBe('packages/connector-acme');
    const constants = readFileSync(path.join(directory, 'src/constants.ts'), 'utf8');
    expect(constants).toContain("id: 'acme-universal'");
    expect(constants).toContain("tokenEndpoint: 'https://login.acme.test/token'");
    expect(constants).toContain(
      "authorizationEndpoint: 'https://acme.example.com/oauth/authorize'",
    );
    expect(readFileSync(path.join(directory, 'src/index.ts'), 'utf8')).toContain(
      'const createAcmeConnector',
    );
    expect(
      JSON.parse(readFileSync(path.join(root, 'packages/compat/package.json'), 'utf8')),
    ).toEqual({
      name: '@idplug/compat',
      devDependencies: {
        '@idplug/connector-acme': 'workspace:*',
        '@idplug/connector-github': 'workspace:*',
        tar: '7.5.23',
      },
    });
    expect(readFileSync(path.join(root, '.changeset/acme-first-release.md'), 'utf8')).toContain(
      '"@idplug/connector-acme": minor',
    );
    expect(lines.join('\n')).toMatch(/Next steps:[\s\S]*pnpm install/);
  });

  it('derives identifiers from a dashed name and keeps the given id and target', async () => {
    const root = fakeRepository();
    await createConnector({
      root,
      input: {
        name: 'my-mail',
        kind: 'email',
        id: 'my-mail-service',
        target: 'mymail',
        displayName: 'My Mail',
      },
      ...quiet,
    });
    const directory = path.join(root, 'packages/connector-my-mail');
    expect(readFileSync(path.join(directory, 'src/index.ts'), 'utf8')).toContain(
      'const createMyMailConnector: CreateConnector<EmailConnector>',
    );
    expect(readFileSync(path.join(directory, 'src/config.ts'), 'utf8')).toContain(
      'myMailConfigGuard',
    );
    expect(readFileSync(path.join(directory, 'src/constants.ts'), 'utf8')).toMatch(
      /id: 'my-mail-service',\s+target: 'mymail'/,
    );
  });

  it('asks for what the flags do not give when a person is at the terminal', async () => {
    const root = fakeRepository();
    const questions: string[] = [];
    const answers = ['', '', 'Acme Text', 'ftp://sms.acme.test', 'https://sms.acme.test/send'];
    await createConnector({
      root,
      input: { name: 'acme-text', kind: 'sms' },
      ask: async (question) => {
        questions.push(question);
        return answers.shift() ?? '';
      },
      ...quiet,
    });
    expect(questions[0]).toMatch(/Connector id/);
    const constants = readFileSync(
      path.join(root, 'packages/connector-acme-text/src/constants.ts'),
      'utf8',
    );
    expect(constants).toContain("id: 'acme-text-sms'");
    expect(constants).toContain("name: { en: 'Acme Text' }");
    expect(constants).toContain("sendEndpoint: 'https://sms.acme.test/send'");
  });

  it('refuses an existing name, writing nothing', async () => {
    const root = fakeRepository();
    await expect(
      createConnector({ root, input: { name: 'github', kind: 'social' }, ...quiet }),
    ).rejects.toThrow(/packages\/connector-github exists already/);
  });

  it('refuses an id another connector uses', async () => {
    const root = fakeRepository();
    await expect(
      createConnector({
        root,
        input: { name: 'octo', kind: 'social', id: 'github-universal' },
        ...quiet,
      }),
    ).rejects.toThrow(/used by packages\/connector-github/);
    expect(existsSync(path.join(root, 'packages/connector-octo'))).toBe(false);
  });

  it('reads the ids in use from each connector’s metadata, however the id is written', async () => {
    const root = fakeRepository();
    mkdirSync(path.join(root, 'packages/connector-acme-id/src'), { recursive: true });
    writeFileSync(
      path.join(root, 'packages/connector-acme-id/package.json'),
      '{ "name": "@idplug/connector-acme-id" }',
    );
    // An id computed from a constant: no `id: '...'` literal anywhere in the sources.
    writeFileSync(
      path.join(root, 'packages/connector-acme-id/src/constants.ts'),
      "const provider = 'acme';\nexport const metadata = { id: [provider, 'universal'].join('-') };\n",
    );
    // An `id:` literal that is not the connector's id (a profile mapping) takes nothing.
    writeFileSync(
      path.join(root, 'packages/connector-github/src/profile.ts'),
      "export const sample = { id: 'octo-universal', name: 'Octo' };\n",
    );
    expect(await existingConnectorIds(root)).toEqual(
      new Map([
        ['acme-universal', 'connector-acme-id'],
        ['github-universal', 'connector-github'],
      ]),
    );
    await expect(
      createConnector({ root, input: { name: 'acme', kind: 'social' }, ...quiet }),
    ).rejects.toThrow(/id "acme-universal" is used by packages\/connector-acme-id/);
    await createConnector({ root, input: { name: 'octo', kind: 'social' }, ...quiet });
    expect(
      readFileSync(path.join(root, 'packages/connector-octo/src/constants.ts'), 'utf8'),
    ).toContain("id: 'octo-universal'");
  });

  it('refuses to choose an id while a connector’s metadata cannot be read', async () => {
    const root = fakeRepository();
    writeFileSync(
      path.join(root, 'packages/connector-github/src/constants.ts'),
      "export const metadata = { id: 'github-universal' };\nthrow new Error('half-edited');\n",
    );
    await expect(
      createConnector({ root, input: { name: 'octo', kind: 'social' }, ...quiet }),
    ).rejects.toThrow(/Could not read the metadata of packages\/connector-github .*half-edited/);
    expect(existsSync(path.join(root, 'packages/connector-octo'))).toBe(false);
  });

  it('knows the id of every connector in this repository, as its factory reports it', async () => {
    const root = findRepositoryRoot();
    const connectors = listConnectorPackages(root);
    const fromFactories = new Map(
      await Promise.all(
        connectors.map(
          async (entry) =>
            [(await loadConnectorFromSource(entry.directory)).metadata.id, entry.folder] as const,
        ),
      ),
    );
    expect(fromFactories.size).toBe(connectors.length);
    expect(await existingConnectorIds(root)).toEqual(fromFactories);
  });

  it.each([
    [{ name: 'Acme' }, /not a valid connector name/],
    [{ name: 'connector-acme' }, /without the "connector-" prefix/],
    [{ name: 'acme', id: 'Acme Universal' }, /not a valid connector id/],
    [{ name: 'acme', kind: 'push' }, /--type must be one of social, email, sms/],
    [{ name: 'acme', displayName: "Acme's" }, /not a usable display name/],
    [
      { name: 'acme', endpoints: { 'token-endpoint': 'http://acme.test/token' } },
      /must be an https:\/\/ URL/,
    ],
  ])('refuses invalid input %j clearly', async (input, message) => {
    const root = fakeRepository();
    const error = await createConnector({
      root,
      input: { kind: 'social', ...input },
      ...quiet,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CreateConnectorError);
    expect((error as Error).message).toMatch(message);
    expect(existsSync(path.join(root, 'packages/connector-acme'))).toBe(false);
  });

  it('runs pnpm install --offline, and plain pnpm install only when that fails', async () => {
    const root = fakeRepository();
    const commands: string[] = [];
    await createConnector({
      root,
      input: { name: 'acme', kind: 'social' },
      log: () => undefined,
      run: async (command, args) => {
        commands.push([command, ...args].join(' '));
        return args.includes('--offline') ? 1 : 0;
      },
    });
    expect(commands).toEqual(['pnpm install --offline', 'pnpm install']);
  });
});

describe('adding a workspace devDependency', () => {
  it('inserts one line at its sorted place and leaves the rest of the file as it was', () => {
    const root = fakeRepository();
    const file = path.join(root, 'packages/compat/package.json');
    const before = readFileSync(file, 'utf8');
    expect(addWorkspaceDevDependency(file, '@idplug/connector-zeta')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(
      before.replace('"tar"', '"@idplug/connector-zeta": "workspace:*",\n    "tar"'),
    );
    expect(addWorkspaceDevDependency(file, '@idplug/connector-zeta')).toBe(false);
  });
});
