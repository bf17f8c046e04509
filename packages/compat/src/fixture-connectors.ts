import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceConnector } from './bare-folder';

/**
 * Hand-written connector packages for the loader test's controls. They are written as a build
 * would leave them (package.json, `lib/index.js`, README.md, logo.svg) and then packed like the
 * real connectors, so they go through the same pack, extract and load path.
 */

export const fixtureLogo =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7"/></svg>\n';

const connectorSource = (id: string, preamble: string, configGuard: string) => `${preamble}
import { ConnectorError, ConnectorErrorCodes, ConnectorPlatform, ConnectorType } from '@logto/connector-kit';

const metadata = {
  id: '${id}',
  target: '${id}',
  platform: ConnectorPlatform.Universal,
  name: { en: 'Fixture ${id}' },
  description: { en: 'A fixture of @idplug/compat.' },
  logo: './logo.svg',
  logoDark: null,
  readme: './README.md',
  formItems: [],
};

export default async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Social,
  configGuard: ${configGuard},
  getAuthorizationUri: async () => {
    await getConfig(metadata.id);
    return 'https://example.com/authorize';
  },
  getUserInfo: async () => {
    throw new ConnectorError(ConnectorErrorCodes.NotImplemented, 'fixture');
  },
});
`;

const writeFixture = async (
  parent: string,
  unscoped: string,
  source: string,
): Promise<WorkspaceConnector> => {
  const name = `@idplug-fixture/${unscoped}`;
  const directory = path.join(parent, unscoped);
  await mkdir(path.join(directory, 'lib'), { recursive: true });
  const manifest = {
    name,
    version: '0.0.0',
    private: true,
    type: 'module',
    main: './lib/index.js',
    files: ['lib', 'README.md', 'logo.svg'],
    // The range our connectors declare; the loader checks it against its own connector-kit.
    dependencies: { '@logto/connector-kit': '^4.7.0 || ^5.0.0' },
  };
  await writeFile(path.join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(directory, 'lib/index.js'), source);
  await writeFile(path.join(directory, 'README.md'), `# ${name}\n\nA fixture connector.\n`);
  await writeFile(path.join(directory, 'logo.svg'), fixtureLogo);
  return { name, directory };
};

/** Imports only `@logto/connector-kit`: must load wherever Logto can load anything. */
export const writeKitOnlyConnector = (parent: string) =>
  writeFixture(
    parent,
    'connector-kit-only',
    connectorSource(
      'fixture-kit-only',
      '',
      // Without zod in the folder there is no real schema to build; the loader only checks presence.
      '{ safeParse: (value) => ({ success: true, data: value }) }',
    ),
  );

/** Imports `zod`, which a bare folder does not have: must fail to load. */
export const writeZodImportingConnector = (parent: string) =>
  writeFixture(
    parent,
    'connector-needs-zod',
    connectorSource('fixture-needs-zod', "import { z } from 'zod';", 'z.object({})'),
  );
