import type { AllConnector, CreateConnector } from '@logto/connector-kit';

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
