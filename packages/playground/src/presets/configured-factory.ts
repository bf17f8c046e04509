import type { AllConnector, CreateConnector } from '@logto/connector-kit';
import type { ConnectorModule } from '../discovery';

/**
 * A connector whose endpoints are fixed (production always talks to the provider) exports a
 * `configure<Name>Connector(options)` for emulators; the playground calls it for a config that
 * uses the emulator. `undefined` (the default export is used) when the package has no such export.
 */
export const configuredFactory = (
  module: ConnectorModule,
  exportName: string,
  options: unknown,
): CreateConnector<AllConnector> | undefined => {
  const configure = module[exportName];
  return typeof configure === 'function'
    ? (configure as (options: unknown) => CreateConnector<AllConnector>)(options)
    : undefined;
};

/** Whether a configured URL is this emulator's (a trailing slash or two do not matter). */
export const isEmulatorUrl = (value: unknown, emulatorUrl: string): boolean =>
  typeof value === 'string' && value.replace(/\/+$/, '') === emulatorUrl.replace(/\/+$/, '');
