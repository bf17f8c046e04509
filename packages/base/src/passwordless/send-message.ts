import {
  ConnectorErrorCodes,
  type ConnectorMetadata,
  type ConnectorType,
  type GetConnectorConfig,
  type SendMessageData,
  TemplateType,
} from '@logto/connector-kit';
import { type ConfigGuard, loadConfig, parseConfig } from '../config';
import { timeoutOptionsOf } from '../config-fields';
import { connectorError } from '../errors';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http';
import { networkOf, withNetworkConfig, withNetworkOption } from '../network';
import { SecretRedactor } from '../secrets';

/**
 * What the email and SMS connectors' `sendMessage` share: the config (stored, or the unsaved one
 * the console's "send test" passes), the message data, the config template for the usage type with
 * its `Generic` fallback, and only secret-free `ConnectorError`s out.
 */

/** What a connector's `deliver` is given beside the rendered message. */
export type PasswordlessSendContext<Config, Template> = {
  config: Config;
  data: SendMessageData;
  template: Template;
  /** Base's HTTP client for an API connector (a send is never retried: it could deliver twice). */
  http: HttpClient;
  redactor: SecretRedactor;
};

/** An email or SMS connector: its metadata, its config guard and how a message is delivered. */
export type PasswordlessConnectorDefinition<Config, StoredTemplate, Template, Message> = {
  metadata: ConnectorMetadata;
  configGuard: ConfigGuard<Config>;
  /** "SendGrid", for messages; the host is used when absent. */
  providerName?: string;
  /** HTTP options derived from the config. @default the config's `timeout`, when it has one */
  httpOptions?: (config: Config) => HttpClientOptions;
  /** The templates of a config. @default `config.templates` */
  templatesOf?: (config: Config) => readonly StoredTemplate[] | undefined;
  deliver: (
    message: Message,
    context: PasswordlessSendContext<Config, Template>,
  ) => Promise<unknown>;
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

/**
 * The config's template for the usage type, then its `Generic` one; `kind` names the channel in
 * the `TemplateNotFound` message.
 */
export const chooseConfigTemplate = <Template extends { usageType: string }>(
  type: string,
  templates: readonly Template[] | undefined,
  kind: 'email' | 'SMS',
): Template & { source: 'config' | 'generic' } => {
  const forType = templates?.find((template) => template.usageType === type);
  if (forType) {
    return { ...forType, source: 'config' };
  }
  const generic = templates?.find((template) => template.usageType === TemplateType.Generic);
  if (generic) {
    return { ...generic, source: 'generic' };
  }
  throw connectorError(
    ConnectorErrorCodes.TemplateNotFound,
    `No ${kind} template for usage type ${type}, and no Generic template to fall back to; add one to \`templates\``,
  );
};

/** The templates of a config, where the email and SMS connectors keep them by default. */
export const templatesOfConfig = <Template>(config: unknown): readonly Template[] | undefined =>
  (config as { templates?: readonly Template[] }).templates;

/**
 * A connector's `sendMessage`: `send` gets the parsed config and data and a redactor that already
 * knows the config's secrets; whatever it throws leaves as a secret-free `ConnectorError`.
 */
export const createSendMessage =
  <Config>(
    definition: Pick<
      PasswordlessConnectorDefinition<Config, unknown, unknown, unknown>,
      'metadata' | 'configGuard' | 'providerName' | 'httpOptions'
    >,
    getConfig: GetConnectorConfig,
    send: (
      config: Config,
      data: SendMessageData,
      context: { http: HttpClient; redactor: SecretRedactor },
    ) => Promise<unknown>,
  ) =>
  async (rawData: unknown, inputConfig?: unknown): Promise<unknown> => {
    const redactor = new SecretRedactor();
    redactor.addConfig(inputConfig);
    const { metadata, providerName } = definition;
    // Every connector takes the optional `network` group (proxy, CA) beside its own keys.
    const configGuard = withNetworkConfig(definition.configGuard);
    return redactor.guard(async () => {
      const config =
        inputConfig === undefined
          ? await loadConfig(getConfig, metadata.id, configGuard)
          : parseConfig(configGuard, inputConfig);
      redactor.addConfig(config);
      // The connector's redactor: every credential a send carries (a Basic or Bearer header, an
      // API key header) is registered with it as the request is built.
      const http = createHttpClient({
        ...(providerName && { providerName }),
        ...(definition.httpOptions ?? timeoutOptionsOf)(config),
        network: networkOf(config),
        redactor,
      });
      return send(config, readSendMessageData(rawData), { http, redactor });
    });
  };

/**
 * An email or SMS connector, once: metadata, type, guard and a `sendMessage` whose `send` is
 * given the config's templates (`definition.templatesOf`, else `config.templates`). `sendOf`
 * receives what Logto passes to the connector (the email one reads `getI18nEmailTemplate`).
 */
export const definePasswordlessConnector =
  <Type extends ConnectorType.Email | ConnectorType.Sms, Config, StoredTemplate, Options>(
    type: Type,
    definition: Pick<
      PasswordlessConnectorDefinition<Config, StoredTemplate, unknown, unknown>,
      'metadata' | 'configGuard' | 'providerName' | 'httpOptions' | 'templatesOf'
    >,
    sendOf: (options: Options) => (
      config: Config,
      data: SendMessageData,
      context: {
        http: HttpClient;
        redactor: SecretRedactor;
        templates: readonly StoredTemplate[] | undefined;
      },
    ) => Promise<unknown>,
  ) =>
  async (options: Options & { getConfig: GetConnectorConfig }) => {
    // Every connector takes the optional `network` group (proxy, CA) beside its own keys.
    const { metadata, configGuard } = withNetworkOption(definition);
    const templatesOf = definition.templatesOf ?? templatesOfConfig<StoredTemplate>;
    const send = sendOf(options);
    return {
      metadata,
      type,
      configGuard,
      sendMessage: createSendMessage(definition, options.getConfig, async (config, data, context) =>
        send(config, data, { ...context, templates: templatesOf(config) }),
      ),
    };
  };
