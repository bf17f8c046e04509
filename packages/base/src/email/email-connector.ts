import {
  ConnectorType,
  type CreateConnector,
  type EmailConnector,
  type GetI18nEmailTemplate,
} from '@logto/connector-kit';
import { withNetworkOption } from '../network';
import {
  createSendMessage,
  type PasswordlessConnectorDefinition,
  type PasswordlessSendContext,
  templatesOfConfig,
} from '../passwordless/send-message';
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

export type EmailSendContext<Config> = PasswordlessSendContext<Config, ChosenTemplate>;

export type EmailConnectorDefinition<Config> = PasswordlessConnectorDefinition<
  Config,
  ConfigEmailTemplate,
  ChosenTemplate,
  RenderedEmail
>;

export const defineEmailConnector =
  <Config>(definition: EmailConnectorDefinition<Config>): CreateConnector<EmailConnector> =>
  async ({ getConfig, getI18nEmailTemplate }) => {
    // Every connector takes the optional `network` group (proxy, CA) beside its own keys.
    const { metadata, configGuard } = withNetworkOption(definition);
    const templatesOf = definition.templatesOf ?? templatesOfConfig<ConfigEmailTemplate>;

    return {
      metadata,
      type: ConnectorType.Email,
      configGuard,
      sendMessage: createSendMessage(
        definition,
        getConfig,
        async (config, data, { http, redactor }) => {
          const template = await chooseEmailTemplate({
            type: data.type,
            locale: typeof data.payload.locale === 'string' ? data.payload.locale : undefined,
            templates: templatesOf(config),
            getI18nEmailTemplate: getI18nEmailTemplate as GetI18nEmailTemplate | undefined,
          });
          const message = renderEmail(template, data.to, data.payload as Record<string, unknown>);
          return definition.deliver(message, { config, data, template, http, redactor });
        },
      ),
    };
  };
