import {
  ConnectorErrorCodes,
  type ConnectorMetadata,
  ConnectorType,
  type CreateConnector,
  type EmailConnector,
  type GetI18nEmailTemplate,
  type SendMessageData,
} from '@logto/connector-kit';
import { type ConfigGuard, loadConfig, parseConfig } from '../config';
import { connectorError } from '../errors';
import { SecretRedactor } from '../secrets';
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

/** Reads `sendMessage`'s data: a usage type is required, a missing payload is `{}`. */
export const readSendMessageData = (data: unknown): SendMessageData => {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      'No message to send was given',
    );
  }
  const { to, type, payload } = data as Record<string, unknown>;
  if (typeof type !== 'string' || type === '') {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      'The message has no usage type',
    );
  }
  return {
    ...(data as SendMessageData),
    to: to as string,
    type: type as SendMessageData['type'],
    payload:
      payload && typeof payload === 'object' && !Array.isArray(payload)
        ? (payload as SendMessageData['payload'])
        : {},
  };
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
      sendMessage: async (rawData, inputConfig) => {
        const redactor = new SecretRedactor();
        redactor.addConfig(inputConfig);
        return redactor.guard(async () => {
          const config =
            inputConfig === undefined
              ? await loadConfig(getConfig, metadata.id, configGuard)
              : parseConfig(configGuard, inputConfig);
          redactor.addConfig(config);
          const data = readSendMessageData(rawData);
          const template = await chooseEmailTemplate({
            type: data.type,
            locale: typeof data.payload.locale === 'string' ? data.payload.locale : undefined,
            templates: templatesOf(config),
            getI18nEmailTemplate: getI18nEmailTemplate as GetI18nEmailTemplate | undefined,
          });
          const message = renderEmail(template, data.to, data.payload as Record<string, unknown>);
          return definition.deliver(message, { config, data, template, redactor });
        });
      },
    };
  };
