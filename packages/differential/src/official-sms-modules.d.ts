// The official SMS connectors ship JavaScript without type declarations; `officialFactory` types them.
declare module '@logto/connector-http-sms';
declare module '@logto/connector-twilio-sms';
declare module '@logto/connector-aliyun-sms';
