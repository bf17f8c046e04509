import type { AllConnector, CreateConnector } from '@logto/connector-kit';

/**
 * An official `@logto/connector-*` package as Logto loads it, for the differential tests and the
 * playground's compare mode.
 */

/**
 * An official connector's factory from its imported module. The official packages are built as
 * ESM or CommonJS depending on the version; the factory is the default export either way
 * (sometimes under `default.default`).
 */
export const officialFactory = <Connector extends AllConnector>(
  module: unknown,
): CreateConnector<Connector> => {
  const first = (module as { default?: unknown }).default ?? module;
  const factory = (first as { default?: unknown }).default ?? first;
  if (typeof factory !== 'function') {
    throw new TypeError('The official package has no default-exported connector factory');
  }
  return factory as CreateConnector<Connector>;
};

/**
 * The config Logto's Admin Console stores for an official connector: its form's default values
 * (the console fills them in when the connector is created) with what the operator typed over
 * them. Ours must take this config verbatim: that is what an operator has on swapping packages.
 */
export const consoleStoredConfig = async (
  module: unknown,
  typed: Record<string, unknown>,
): Promise<Record<string, unknown>> => {
  const { metadata } = await officialFactory(module)({ getConfig: async () => ({}) });
  const defaults = (metadata.formItems ?? []).flatMap((item) =>
    item.defaultValue === undefined ? [] : [[item.key, item.defaultValue] as const],
  );
  return { ...Object.fromEntries(defaults), ...typed };
};
