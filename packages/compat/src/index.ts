export {
  type BareFolder,
  createBareFolder,
  discoverConnectorPackages,
  findRepositoryRoot,
  loadTarballsInBareFolder,
  packConnector,
  packWorkspaceConnectors,
  type WorkspaceConnector,
} from './bare-folder';
export {
  assertEveryConnectorLoaded,
  type ConnectorLoadReport,
  type ConnectorPackage,
  checkPackedConnectorsLoad,
  describeSkippedConnectors,
  importConnectorKitOf,
  type LoadedConnector,
  type LogtoCli,
  type LogtoCliName,
  logtoCliNames,
  resolveLogtoCli,
  type SkippedConnector,
} from './logto-loader';
