import { ConnectorType, type CreateConnector, type SmsConnector } from '@logto/connector-kit';
import { renderTemplate } from '../email/render';
import {
  chooseConfigTemplate,
  definePasswordlessConnector,
  type PasswordlessConnectorDefinition,
  type PasswordlessSendContext,
} from '../passwordless/send-message';
import { maskPhoneNumberInError, readPhoneRecipient } from './phone-number';

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

/**
 * The recipient (digits, an optional leading `+`), the same number in E.164 (`+4512345678`, for
 * providers that want it), and the rendered text, when the template has one.
 */
export type RenderedSms = { to: string; e164: string; text?: string };

export type SmsSendContext<Config> = PasswordlessSendContext<Config, ChosenSmsTemplate>;

export type SmsConnectorDefinition<Config> = PasswordlessConnectorDefinition<
  Config,
  ConfigSmsTemplate,
  ChosenSmsTemplate,
  RenderedSms
>;

/**
 * The recipient is ONE phone number (see `readPhoneRecipient`): its digits with an optional
 * leading `+`. A list, letters or a line break would send the code elsewhere and are refused
 * before anything is sent, without echoing the value.
 */
export const assertSinglePhoneRecipient = (to: unknown): string => readPhoneRecipient(to).number;

/** The config's template for the usage type, then its `Generic` one. */
export const chooseSmsTemplate = (
  type: string,
  templates: readonly ConfigSmsTemplate[] | undefined,
): ChosenSmsTemplate => chooseConfigTemplate(type, templates, 'SMS');

export const defineSmsConnector = <Config>(
  definition: SmsConnectorDefinition<Config>,
): CreateConnector<SmsConnector> =>
  definePasswordlessConnector(
    ConnectorType.Sms,
    definition,
    () =>
      async (config, data, { http, redactor, templates }) => {
        const template = chooseSmsTemplate(data.type, templates);
        const recipient = readPhoneRecipient(data.to);
        const message: RenderedSms = {
          to: recipient.number,
          e164: recipient.e164,
          ...(typeof template.content === 'string' && {
            text: renderTemplate(template.content, data.payload as Record<string, unknown>, 'text'),
          }),
        };
        try {
          return await definition.deliver(message, { config, data, template, http, redactor });
        } catch (error: unknown) {
          // Providers echo the number ("The 'To' number +4512345678 is not valid"): an error
          // lands in logs and the console, so it shows the last 4 digits only.
          throw maskPhoneNumberInError(error, recipient);
        }
      },
  );
