import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { findRepositoryRoot } from './bare-folder';

/**
 * `@idplug/testing` serves connector authors outside this repository: its published tarball and
 * `@idplug/base`'s, installed into a bare folder next to a small connector of the author's own, run
 * the conformance suite there with vitest. Nothing of the workspace is visible to that folder.
 */

const run = promisify(execFile);
const root = findRepositoryRoot();
let folder: string | undefined;

afterAll(async () => {
  if (folder) {
    await rm(folder, { recursive: true, force: true });
  }
});

/** `pnpm pack` honours `publishConfig`, so the tarball is exactly what npm would serve. */
const pack = async (packageFolder: string, destination: string): Promise<string> => {
  const before = new Set(await readdir(destination));
  await run('pnpm', ['pack', '--pack-destination', destination], { cwd: packageFolder });
  const tarball = (await readdir(destination)).find(
    (name) => name.endsWith('.tgz') && !before.has(name),
  );
  if (!tarball) {
    throw new Error(`pnpm pack wrote no tarball for ${packageFolder}`);
  }
  return tarball;
};

const connectorSource = `import { defineOAuthConnector, timeoutConfigField } from '@idplug/base';
import { ConnectorPlatform, type ConnectorMetadata } from '@logto/connector-kit';
import { z } from 'zod';

const metadata: ConnectorMetadata = {
  id: 'outside-example',
  target: 'outside-example',
  platform: ConnectorPlatform.Universal,
  name: { en: 'Outside Example' },
  logo: './logo.svg',
  logoDark: null,
  description: { en: 'A connector written outside the idplug repository.' },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    { key: 'clientId', label: 'Client ID', type: 'Text', required: true },
    { key: 'clientSecret', label: 'Client Secret', type: 'Text', required: true, isConfidential: true },
    { key: 'timeout', label: 'Timeout', type: 'Number', required: false },
  ],
} as ConnectorMetadata;

const configGuard = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  timeout: timeoutConfigField('Milliseconds for each call.'),
});

export default defineOAuthConnector({
  metadata,
  configGuard,
  providerName: 'Outside Example',
  resolveProvider: (config) => ({
    authorizationEndpoint: 'https://auth.outside.example/authorize',
    tokenEndpoint: 'https://auth.outside.example/token',
    client: { clientId: config.clientId, clientSecret: config.clientSecret, method: 'client_secret_basic' },
    pkce: true,
    nonce: false,
  }),
  fetchUserInfo: async ({ tokens }) => ({ id: tokens.access_token.slice(0, 4) }),
});
`;

const conformanceSource = `import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createConnector from './index';

describeConnectorConformance({
  createConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  validConfig: { clientId: 'outside-client', clientSecret: 'outside-secret-value-1234' },
  secrets: ['outside-secret-value-1234'],
  runs: 10,
});
`;

describe('@idplug/testing outside this repository', () => {
  test('installs from its tarball with @idplug/base and runs the conformance suite on a connector of its own', async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'idplug-outside-'));
    const tarballs = path.join(folder, 'tarballs');
    await mkdir(tarballs);
    const base = await pack(path.join(root, 'packages/base'), tarballs);
    const testing = await pack(path.join(root, 'packages/testing'), tarballs);

    const project = path.join(folder, 'connector');
    await mkdir(path.join(project, 'src'), { recursive: true });
    await writeFile(
      path.join(project, 'package.json'),
      JSON.stringify({
        name: 'outside-example-connector',
        private: true,
        type: 'module',
        files: ['lib', 'README.md', 'logo.svg', 'config.example.json'],
        dependencies: {
          '@idplug/base': `file:../tarballs/${base}`,
          '@idplug/testing': `file:../tarballs/${testing}`,
          '@logto/connector-kit': '5.1.1',
          msw: '2.15.0',
          vitest: '4.1.12',
          zod: '3.24.3',
        },
      }),
    );
    await writeFile(path.join(project, 'README.md'), '# Outside Example\n');
    await writeFile(path.join(project, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    await writeFile(
      path.join(project, 'config.example.json'),
      JSON.stringify({ clientId: 'id', clientSecret: 'secret' }),
    );
    await writeFile(path.join(project, 'src/index.ts'), connectorSource);
    await writeFile(path.join(project, 'src/conformance.test.ts'), conformanceSource);

    // Outside the workspace: pnpm finds no workspace root above the temporary folder. The store
    // of this machine already holds every dependency; the registry is asked only for what it lacks.
    await run(
      'pnpm',
      ['install', '--prefer-offline', '--config.manage-package-manager-versions=false'],
      { cwd: project, maxBuffer: 16 * 1024 * 1024 },
    );
    const { stdout } = await run('pnpm', ['exec', 'vitest', 'run', '--reporter=verbose'], {
      cwd: project,
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the reporter's colours.
    const report = stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(report).toMatch(/hostile configs/);
    expect(report).toMatch(/Tests\s+9 passed \(9\)/);
    expect(report).not.toMatch(/failed/);
  }, 240_000);
});
