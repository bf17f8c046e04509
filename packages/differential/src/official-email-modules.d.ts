// The official email connectors ship no type declarations; `officialFactory` types what is used.
declare module '@logto/connector-http-email';
declare module '@logto/connector-sendgrid-email';
declare module '@logto/connector-postmark';
declare module '@logto/connector-mailgun';
declare module '@logto/connector-aws-ses';
declare module '@logto/connector-aliyun-dm';
declare module '@logto/connector-smtp';
