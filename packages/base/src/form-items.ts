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
  description: string;
}): ConnectorConfigFormItem => ({
  key: 'templates',
  label: 'Templates',
  type: ConnectorConfigFormItemType.Json,
  required: true,
  defaultValue,
  description,
});

/** `accessKeyId` and `accessKeySecret` of an Alibaba Cloud RAM user (Direct Mail, SMS). */
export const aliyunAccessKeyFormItems: ConnectorConfigFormItem[] = [
  {
    key: 'accessKeyId',
    label: 'Access Key ID',
    type: ConnectorConfigFormItemType.Text,
    required: true,
    placeholder: '<access-key-id>',
  },
  {
    key: 'accessKeySecret',
    label: 'Access Key Secret',
    type: ConnectorConfigFormItemType.Text,
    required: true,
    placeholder: '<access-key-secret>',
    isConfidential: true,
  },
];
