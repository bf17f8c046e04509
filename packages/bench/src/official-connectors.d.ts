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
declare module '@logto/connector-azuread' {
  import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SocialConnector>;
  export default createConnector;
}
declare module '@logto/connector-apple' {
  import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SocialConnector>;
  export default createConnector;
}
declare module '@logto/connector-facebook' {
  import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SocialConnector>;
  export default createConnector;
}
declare module '@logto/connector-discord' {
  import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SocialConnector>;
  export default createConnector;
}
declare module '@logto/connector-gitlab' {
  import type { CreateConnector, SocialConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SocialConnector>;
  export default createConnector;
}
declare module '@logto/connector-twilio-sms' {
  import type { CreateConnector, SmsConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SmsConnector>;
  export default createConnector;
}
declare module '@logto/connector-aliyun-sms' {
  import type { CreateConnector, SmsConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SmsConnector>;
  export default createConnector;
}
declare module '@logto/connector-http-sms' {
  import type { CreateConnector, SmsConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<SmsConnector>;
  export default createConnector;
}
declare module '@logto/connector-aws-ses' {
  import type { CreateConnector, EmailConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<EmailConnector>;
  export default createConnector;
}
declare module '@logto/connector-sendgrid-email' {
  import type { CreateConnector, EmailConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<EmailConnector>;
  export default createConnector;
}
declare module '@logto/connector-postmark' {
  import type { CreateConnector, EmailConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<EmailConnector>;
  export default createConnector;
}
declare module '@logto/connector-mailgun' {
  import type { CreateConnector, EmailConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<EmailConnector>;
  export default createConnector;
}
declare module '@logto/connector-http-email' {
  import type { CreateConnector, EmailConnector } from '@logto/connector-kit';

  const createConnector: CreateConnector<EmailConnector>;
  export default createConnector;
}
