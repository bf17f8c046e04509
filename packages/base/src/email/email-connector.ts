import {
  ConnectorType,
  type CreateConnector,
  type EmailConnector,
  type GetI18nEmailTemplate,
} from '@logto/connector-kit';
import {
  definePasswordlessConnector,
  type PasswordlessConnectorDefinition,
  type PasswordlessSendContext,
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

export const defineEmailConnector = <Config>(
  definition: EmailConnectorDefinition<Config>,
): CreateConnector<EmailConnector> =>
  definePasswordlessConnector(
    ConnectorType.Email,
    definition,
    ({ getI18nEmailTemplate }: { getI18nEmailTemplate?: GetI18nEmailTemplate }) =>
      async (config, data, { http, redactor, templates }) => {
        const template = await chooseEmailTemplate({
          type: data.type,
          locale: typeof data.payload.locale === 'string' ? data.payload.locale : undefined,
          templates,
          getI18nEmailTemplate,
        });
        const message = renderEmail(template, data.to, data.payload as Record<string, unknown>);
        return definition.deliver(message, { config, data, template, http, redactor });
      },
  );
