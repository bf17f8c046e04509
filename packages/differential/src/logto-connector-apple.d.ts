// The official package ships JavaScript only; `officialFactory` reads its default export.
declare module '@logto/connector-apple';
