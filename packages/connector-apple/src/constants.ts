import { scopeFormItem } from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/**
 * Where Sign in with Apple is. Apple publishes no discovery document for web sign-in; these are
 * the endpoints of its REST API
 * (https://developer.apple.com/documentation/sign_in_with_apple/sign_in_with_apple_rest_api).
 */
export type AppleEndpoints = {
  /** The `iss` of every ID token, and the `aud` of the client secret Apple expects. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
};

export const appleEndpoints: AppleEndpoints = Object.freeze({
  issuer: 'https://appleid.apple.com',
  authorizationEndpoint: 'https://appleid.apple.com/auth/authorize',
  tokenEndpoint: 'https://appleid.apple.com/auth/token',
  jwksUri: 'https://appleid.apple.com/auth/keys',
});

export const providerName = 'Apple';

/**
 * Same id, target and platform as `@logto/connector-apple`, and its two form items (`clientId`
 * labelled "Identifier", `scope`) first: an operator swaps packages, not configs. The signing-key
 * items are new and optional; with them the connector runs the code flow.
 */
export const metadata: ConnectorMetadata = {
  id: 'apple-universal',
  target: 'apple',
  platform: ConnectorPlatform.Universal,
  name: {
    en: 'Apple',
    'zh-CN': 'Apple',
    'tr-TR': 'Apple',
    ko: 'Apple',
  },
  logo: './logo.svg',
  logoDark: './logo-dark.svg',
  description: {
    en: 'Sign in with Apple: verified ID tokens, and with a Sign in with Apple key the code flow with refresh tokens.',
    'zh-CN':
      '使用 Apple 登录：校验 ID 令牌；配置 Sign in with Apple 密钥后支持授权码流程与刷新令牌。',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    {
      key: 'clientId',
      type: ConnectorConfigFormItemType.Text,
      label: 'Identifier',
      required: true,
      placeholder: '<your-services-id>',
      description:
        'The Services ID (such as com.example.web), not the App ID: ID tokens must be issued to it.',
    },
    scopeFormItem({
      placeholder: 'email name',
      description:
        'Space-separated: `name`, `email`, both, or none. Apple sends the name only on the first sign-in.',
    }),
    {
      key: 'teamId',
      type: ConnectorConfigFormItemType.Text,
      label: 'Team ID',
      required: false,
      placeholder: 'ABCDE12345',
      description:
        'Optional, with Key ID and Private Key: your Apple Developer Team ID (10 characters). Turns on the code flow (refresh tokens, token storage).',
    },
    {
      key: 'keyId',
      type: ConnectorConfigFormItemType.Text,
      label: 'Key ID',
      required: false,
      placeholder: 'KEY1234567',
      description: 'The ID of the Sign in with Apple key (10 characters).',
    },
    {
      key: 'privateKey',
      type: ConnectorConfigFormItemType.MultilineText,
      label: 'Private Key',
      required: false,
      placeholder: '-----BEGIN PRIVATE KEY-----',
      isConfidential: true,
      description:
        'The contents of the AuthKey_<Key ID>.p8 file Apple let you download once. Never appears in an error.',
    },
  ],
  isTokenStorageSupported: true,
};
