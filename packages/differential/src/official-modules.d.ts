// The official connectors ship no type declarations; officialFactory types what we use of them.
declare module '@logto/connector-discord';
declare module '@logto/connector-gitlab';
declare module '@logto/connector-facebook';
declare module '@logto/connector-oidc';
declare module '@logto/connector-github';
declare module '@logto/connector-google';
