// `@logto/connector-smtp` ships no type declarations; its default export is a connector factory.
declare module '@logto/connector-smtp' {
  import type { CreateConnector, EmailConnector } from '@logto/connector-kit';

  const createSmtpConnector: CreateConnector<EmailConnector>;
  export default createSmtpConnector;
}
