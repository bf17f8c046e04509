import type {
  AllConnector,
  CreateConnector,
  EmailConnector,
  GetI18nEmailTemplate,
} from '@logto/connector-kit';

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

/** An email connector as Logto creates it: the official module, or ours as `{ default: factory }`. */
export const loadEmailConnector = async (
  module: unknown,
  config: unknown,
  getI18nEmailTemplate: GetI18nEmailTemplate = async () => undefined,
) =>
  (await officialFactory<EmailConnector>(module)({
    getConfig: async () => config,
    getI18nEmailTemplate,
  })) as EmailConnector;

/** Where a provider emulator keeps what it received (mails, messages), in arrival order. */
export type ReceivedLog<Received> = { reset: () => void; received: () => readonly Received[] };

/**
 * Sends one message through the official connector, then through ours, with the same config and
 * localized-template store, and returns what the provider received from each: `[theirs, ours]`.
 */
export const sendThroughBoth = async <Received>(
  connectors: { official: unknown; ours: unknown },
  log: ReceivedLog<Received>,
  config: unknown,
  message: object,
  getI18nEmailTemplate?: GetI18nEmailTemplate,
): Promise<[Received, Received]> => {
  log.reset();
  for (const module of [connectors.official, connectors.ours]) {
    const connector = await loadEmailConnector(module, config, getI18nEmailTemplate);
    await connector.sendMessage(message as never);
  }
  const received = log.received();
  if (received.length !== 2) {
    throw new Error(`The provider received ${received.length} messages instead of 2`);
  }
  return [received[0]!, received[1]!];
};
