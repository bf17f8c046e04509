import type { EmailConnector, GetI18nEmailTemplate } from '@logto/connector-kit';
import fc from 'fast-check';
import { officialFactory } from './official-connector';

/** Plumbing of the email differential tests: both connectors send, the provider's log compares. */

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
 * A sender through both connectors: one message through the official connector, then through
 * ours, with the same config and localized-template store; it returns what the provider received
 * from each, `[theirs, ours]`.
 */
export const sendThroughBoth =
  <Received>(connectors: { official: unknown; ours: unknown }, log: ReceivedLog<Received>) =>
  async (
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

/** HTML templates that show the code and the application name, one per usage type. */
export const htmlCodeTemplates = (usageTypes: readonly string[], fields: object = {}) =>
  usageTypes.map((usageType) => ({
    usageType,
    ...fields,
    subject: `${usageType} for {{application.name}}: {{code}}`,
    content: '<p>Your code for <b>{{application.name}}</b> is <code>{{code}}</code>.</p>',
  }));

/** Text without markup or line breaks: ours escapes markup in HTML, the official ones do not. */
export const markupFreeText = fc
  .string({ maxLength: 24 })
  .map((text) => text.replace(/[&<>"'\r\n]/g, ''));

/** A Logto verification message: a six-digit code, an application name, a locale. */
export const codeMessage = (
  recipients: readonly string[],
  usageTypes: readonly string[],
  locales: readonly string[],
) =>
  fc.record({
    to: fc.constantFrom(...recipients),
    type: fc.constantFrom(...usageTypes),
    payload: fc.record({
      code: fc.stringMatching(/^\d{6}$/),
      application: fc.record({ name: markupFreeText }),
      locale: fc.constantFrom(...locales),
    }),
  });
