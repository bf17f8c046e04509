import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

/**
 * Loads an official connector's factory. The official packages are CommonJS or ESM depending on
 * the version; either way the factory is the default export (possibly under `default.default`).
 */
export const officialFactory = <Connector = SocialConnector>(
  module: unknown,
): CreateConnector<Connector extends SocialConnector ? SocialConnector : never> => {
  const first = (module as { default?: unknown }).default ?? module;
  const factory = (first as { default?: unknown }).default ?? first;
  if (typeof factory !== 'function') {
    throw new TypeError('The official package has no default-exported connector factory');
  }
  return factory as CreateConnector<Connector extends SocialConnector ? SocialConnector : never>;
};
