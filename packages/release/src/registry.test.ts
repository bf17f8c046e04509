import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandError, run } from './command';
import { type LocalRegistry, startLocalRegistry } from './registry';

describe('startLocalRegistry (a real Verdaccio on 127.0.0.1, no uplink)', () => {
  let directory: string;
  let registry: LocalRegistry;
  let userConfig: string;

  const npm = (args: string[], cwd: string) =>
    run('npm', [...args, '--registry', registry.url], {
      cwd,
      env: {
        ...process.env,
        npm_config_userconfig: userConfig,
        npm_config_update_notifier: 'false',
      },
    });

  const writePackage = async (name: string) => {
    const packageDirectory = path.join(directory, name.replace('/', '__'));
    await mkdir(packageDirectory, { recursive: true });
    await writeFile(
      path.join(packageDirectory, 'package.json'),
      JSON.stringify({ name, version: '1.2.3', type: 'module' }),
    );
    await writeFile(path.join(packageDirectory, 'index.js'), 'export const answer = 42;\n');
    return packageDirectory;
  };

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'idplug-registry-test-'));
    registry = await startLocalRegistry({
      directory: path.join(directory, 'verdaccio'),
      scope: '@idplug',
    });
    userConfig = path.join(directory, 'user.npmrc');
    await writeFile(userConfig, `//127.0.0.1:${registry.port}/:_authToken=${registry.token}\n`);
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
    await rm(directory, { recursive: true, force: true });
  }, 30_000);

  it('listens on loopback and hands out a token that can publish the scope', async () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await npm(['publish', '--access', 'public'], await writePackage('@idplug/fixture'));

    const response = await fetch(new URL('@idplug%2ffixture', registry.url));
    expect(response.status).toBe(200);
    const packument = (await response.json()) as { 'dist-tags': Record<string, string> };
    expect(packument['dist-tags'].latest).toBe('1.2.3');

    const { stdout } = await npm(
      ['pack', '@idplug/fixture@1.2.3', '--json', '--pack-destination', directory],
      directory,
    );
    expect(JSON.parse(stdout)[0]).toMatchObject({ name: '@idplug/fixture', version: '1.2.3' });
  });

  it('refuses to publish anything outside the scope', async () => {
    const error = await npm(['publish'], await writePackage('not-ours')).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).message).toMatch(/E403|forbidden|not allowed/i);
  });

  it('stops, and the port no longer answers', async () => {
    const { url } = registry;
    await registry.stop();
    await registry.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});
