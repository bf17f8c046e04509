import {
  ConnectorErrorCodes,
  ConnectorType,
  type CreateConnector,
  type SmsConnector,
} from '@logto/connector-kit';
import { renderTemplate } from '../email/render';
import { connectorError } from '../errors';
import {
  chooseConfigTemplate,
  createSendMessage,
  type PasswordlessConnectorDefinition,
  type PasswordlessSendContext,
  templatesOfConfig,
} from '../passwordless/send-message';

/**
 * The SMS connector flow, the same as the email one (config, stored or the console's unsaved one;
 * template choice; rendering; one recipient; only secret-free `ConnectorError`s out) with text
 * templates and a phone number. A connector supplies how to deliver a rendered message.
 */

/**
 * A template as stored in an SMS connector config: its text, or (Aliyun SMS) a provider-side
 * template named by the connector's own keys, rendered by the provider.
 */
export type ConfigSmsTemplate = { usageType: string; content?: string };

export type ChosenSmsTemplate<Template extends ConfigSmsTemplate = ConfigSmsTemplate> = Template & {
  source: 'config' | 'generic';
};

/** The recipient (digits, an optional leading `+`) and the rendered text, when the template has one. */
export type RenderedSms = { to: string; text?: string };

export type SmsSendContext<Config> = PasswordlessSendContext<Config, ChosenSmsTemplate>;

export type SmsConnectorDefinition<Config> = PasswordlessConnectorDefinition<
  Config,
  ConfigSmsTemplate,
  ChosenSmsTemplate,
  RenderedSms
>;

/**
 * The recipient is ONE phone number: digits with an optional leading `+` (E.164 allows at most 15
 * digits, ITU-T E.164 §6), written with spaces, dots, dashes or parentheses if one likes. A list or
 * a line break would send the code elsewhere and is refused before anything is sent.
 */
export const assertSinglePhoneRecipient = (to: unknown): string => {
  if (typeof to !== 'string' || to.trim() === '') {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      'The phone number is missing',
    );
  }
  if (/[\r\n]/.test(to)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      'The phone number contains a line break; nothing was sent',
    );
  }
  const number = to.trim().replace(/[\s().-]/g, '');
  if (!/^\+?\d{4,15}$/.test(number)) {
    throw connectorError(
      ConnectorErrorCodes.InvalidRequestParameters,
      `The recipient must be one phone number (got ${JSON.stringify(to.trim().slice(0, 40))}); nothing was sent`,
    );
  }
  return number;
};

/** The config's template for the usage type, then its `Generic` one. */
export const chooseSmsTemplate = (
  type: string,
  templates: readonly ConfigSmsTemplate[] | undefined,
): ChosenSmsTemplate => chooseConfigTemplate(type, templates, 'SMS');

export const defineSmsConnector =
  <Config>(definition: SmsConnectorDefinition<Config>): CreateConnector<SmsConnector> =>
  async ({ getConfig }) => {
    const { metadata, configGuard } = definition;
    const templatesOf = definition.templatesOf ?? templatesOfConfig<ConfigSmsTemplate>;

    return {
      metadata,
      type: ConnectorType.Sms,
      configGuard,
      sendMessage: createSendMessage(
        definition,
        getConfig,
        async (config, data, { http, redactor }) => {
          const template = chooseSmsTemplate(data.type, templatesOf(config));
          const message: RenderedSms = {
            to: assertSinglePhoneRecipient(data.to),
            ...(typeof template.content === 'string' && {
              text: renderTemplate(
                template.content,
                data.payload as Record<string, unknown>,
                'text',
              ),
            }),
          };
          return definition.deliver(message, { config, data, template, http, redactor });
        },
      ),
    };
  };
