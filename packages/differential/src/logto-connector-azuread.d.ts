// @logto/connector-azuread ships no type declarations; officialFactory reads its default export.
declare module '@logto/connector-azuread';
