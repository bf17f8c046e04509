import { type ConnectorConfigFormItem, ConnectorConfigFormItemType } from '@logto/connector-kit';

/**
 * Form items (what Logto's console shows for a connector's config) that many connectors share,
 * written once. Each takes what differs between connectors: a placeholder, a description, defaults.
 */

/** `scope`: space-separated scopes, the connector's default when empty. */
export const scopeFormItem = ({
  placeholder,
  description,
}: {
  placeholder: string;
  description: string;
}): ConnectorConfigFormItem => ({
  key: 'scope',
  type: ConnectorConfigFormItemType.MultilineText,
  label: 'Scope',
  required: false,
  placeholder,
  description,
});

/** `timeout`: milliseconds one call (one send) may take. */
export const timeoutFormItem = (
  description = 'How long one send may take before it fails. 10000 when empty.',
): ConnectorConfigFormItem => ({
  key: 'timeout',
  label: 'Timeout (ms)',
  type: ConnectorConfigFormItemType.Number,
  required: false,
  placeholder: '10000',
  description,
});

/** `templates`: the message templates, one per usage type, prefilled with working defaults. */
export const templatesFormItem = ({
  defaultValue,
  description,
}: {
  defaultValue: unknown;
  description?: string;
}): ConnectorConfigFormItem => ({
  key: 'templates',
  label: 'Templates',
  type: ConnectorConfigFormItemType.Json,
  required: true,
  defaultValue,
  ...(description !== undefined && { description }),
});

/** What a text item may add beyond its key, label and placeholder. */
export type TextFormItemOptions = {
  /** @default false */
  required?: boolean;
  /** A credential: the console masks it, and base's redactor never lets it into an error. */
  isConfidential?: boolean;
  description?: string;
  tooltip?: string;
};

/** A one-line text input. */
export const textFormItem = (
  key: string,
  label: string,
  placeholder: string,
  { required = false, ...rest }: TextFormItemOptions = {},
): ConnectorConfigFormItem => ({
  key,
  label,
  type: ConnectorConfigFormItemType.Text,
  required,
  placeholder,
  ...rest,
});

/** A select among fixed values (a provider region, say), with the value used when unset. */
export const selectFormItem = (
  key: string,
  label: string,
  selectItems: Array<{ value: string; title: string }>,
  defaultValue: string,
): ConnectorConfigFormItem => ({
  key,
  label,
  type: ConnectorConfigFormItemType.Select,
  required: false,
  selectItems,
  defaultValue,
});

/** `accessKeyId` and `accessKeySecret` of an Alibaba Cloud RAM user (Direct Mail, SMS). */
export const aliyunAccessKeyFormItems: ConnectorConfigFormItem[] = [
  textFormItem('accessKeyId', 'Access Key ID', '<access-key-id>', { required: true }),
  textFormItem('accessKeySecret', 'Access Key Secret', '<access-key-secret>', {
    required: true,
    isConfidential: true,
  }),
];
