import {
  requestHeadersFormItems,
  standardClientFormItems,
  standardFlowFormItems,
} from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/** `@logto/connector-oauth`'s id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'oauth2',
  target: 'oauth2',
  platform: ConnectorPlatform.Universal,
  name: {
    en: 'OAuth 2.0',
    'zh-CN': 'OAuth 2.0',
    'tr-TR': 'OAuth 2.0',
    ko: 'OAuth 2.0',
  },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Sign in with any OAuth 2.0 provider: authorization code flow with PKCE, every client authentication method, and a configurable profile mapping.',
    'zh-CN':
      '使用任意 OAuth 2.0 服务登录：带 PKCE 的授权码流程、所有客户端认证方式以及可配置的用户资料映射。',
    'tr-TR':
      'Herhangi bir OAuth 2.0 sağlayıcısıyla oturum açın: PKCE ile yetkilendirme kodu akışı, tüm istemci kimlik doğrulama yöntemleri ve yapılandırılabilir profil eşlemesi.',
    ko: '모든 OAuth 2.0 제공자로 로그인합니다: PKCE를 사용하는 인가 코드 흐름, 모든 클라이언트 인증 방식, 설정 가능한 프로필 매핑.',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  isStandard: true,
  formItems: [
    {
      key: 'authorizationEndpoint',
      label: 'Authorization Endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: '<authorization-endpoint>',
    },
    {
      key: 'tokenEndpoint',
      label: 'Token Endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: '<token-endpoint>',
    },
    {
      key: 'userInfoEndpoint',
      label: 'User Info Endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: '<user-info-endpoint>',
    },
    ...standardClientFormItems,
    {
      key: 'scope',
      label: 'Scope',
      type: ConnectorConfigFormItemType.MultilineText,
      required: false,
      placeholder: 'Enter the scopes (separated by a space)',
    },
    {
      key: 'profileMap',
      label: 'Profile Map',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      defaultValue: {
        id: 'id',
        email: 'email',
        phone: 'phone',
        name: 'name',
        avatar: 'avatar',
      },
      description:
        'Where each field is in the user info response: a dot path such as `data.user.id` or `emails[0].value`, or a list of fallback paths. `emailVerified` / `phoneVerified` name a verification claim (true or "true").',
    },
    ...requestHeadersFormItems,
    ...standardFlowFormItems,
  ],
  isTokenStorageSupported: true,
};
