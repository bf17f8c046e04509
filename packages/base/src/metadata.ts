import type { ConnectorMetadata } from '@logto/connector-kit';

/**
 * What a connector's metadata says for itself: `id` and `target` (stable once published: Logto
 * keys stored configs by `id`), names, description and form items. Where the rest differs
 * (a Universal social connector, a dark logo), the connector says so.
 */
export type ConnectorMetadataDeclaration = Omit<
  ConnectorMetadata,
  'platform' | 'logo' | 'logoDark' | 'readme' | 'configTemplate'
> &
  Partial<ConnectorMetadata>;

/**
 * A connector's metadata with the package layout every connector shares: `logo.svg`, `README.md`
 * and `config.example.json` beside `package.json` (Logto reads them relative to the package), no
 * dark logo and no platform (email and SMS) unless the declaration gives one.
 */
export const connectorMetadata = (
  declaration: ConnectorMetadataDeclaration,
): ConnectorMetadata => ({
  platform: null,
  logo: './logo.svg',
  logoDark: null,
  readme: './README.md',
  configTemplate: './config.example.json',
  ...declaration,
});
