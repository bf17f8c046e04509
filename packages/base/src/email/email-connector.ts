import {
  type ConnectorMetadata,
  ConnectorType,
  type CreateConnector,
  type EmailConnector,
  type GetI18nEmailTemplate,
  type SendMessageData,
} from '@logto/connector-kit';
import type { ConfigGuard } from '../config';
import { createSendMessage } from '../passwordless/send-message';
import type { SecretRedactor } from '../secrets';
import {
  type ChosenTemplate,
  type ConfigEmailTemplate,
  chooseEmailTemplate,
  type RenderedEmail,
  renderEmail,
} from './template';

/**
 * The email connector flow, once: config (stored, or the unsaved one the console's "send test"
 * passes), template choice, rendering, recipient checks, and only secret-free `ConnectorError`s
 * out. A connector supplies how to deliver a rendered message.
 */

export type EmailSendContext<Config> = {
  config: Config;
  data: SendMessageData;
  template: ChosenTemplate;
  redactor: SecretRedactor;
};

export type EmailConnectorDefinition<Config> = {
  metadata: ConnectorMetadata;
  configGuard: ConfigGuard<Config>;
  /** The templates of a config. @default `config.templates` */
  templatesOf?: (config: Config) => readonly ConfigEmailTemplate[] | undefined;
  deliver: (message: RenderedEmail, context: EmailSendContext<Config>) => Promise<unknown>;
};

export const defineEmailConnector =
  <Config>(definition: EmailConnectorDefinition<Config>): CreateConnector<EmailConnector> =>
  async ({ getConfig, getI18nEmailTemplate }) => {
    const { metadata, configGuard } = definition;
    const templatesOf =
      definition.templatesOf ??
      ((config: Config) => (config as { templates?: readonly ConfigEmailTemplate[] }).templates);

    return {
      metadata,
      type: ConnectorType.Email,
      configGuard,
      sendMessage: createSendMessage({
        connectorId: metadata.id,
        configGuard,
        getConfig,
        send: async (config, data, redactor) => {
          const template = await chooseEmailTemplate({
            type: data.type,
            locale: typeof data.payload.locale === 'string' ? data.payload.locale : undefined,
            templates: templatesOf(config),
            getI18nEmailTemplate: getI18nEmailTemplate as GetI18nEmailTemplate | undefined,
          });
          const message = renderEmail(template, data.to, data.payload as Record<string, unknown>);
          return definition.deliver(message, { config, data, template, redactor });
        },
      }),
    };
  };
