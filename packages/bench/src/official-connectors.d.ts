// The official connectors from npm (SMTP: official-smtp.d.ts) ship JavaScript without declarations; their default export is
// connector-kit's connector factory.
declare module '@logto/connector-github' {
  import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SocialConnector>;
  export default createConnector;
}
declare module '@logto/connector-google' {
  import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SocialConnector>;
  export default createConnector;
}
declare module '@logto/connector-oauth' {
  import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SocialConnector>;
  export default createConnector;
}
declare module '@logto/connector-oidc' {
  import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SocialConnector>;
  export default createConnector;
}
declare module '@logto/connector-aliyun-dm' {
  import type { CreateConnector, EmailConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<EmailConnector>;
  export default createConnector;
}
