import type { BrowserSessions } from './browser-sessions';
import type { DiscoveredConnector, DiscoveryResult } from './discovery';
import type { ConnectorPreset } from './emulators';
import type { PlaygroundInbox } from './inbox';

/** What every page handler of the playground reads: where it is, its connectors, their presets. */
export type PlaygroundSite = {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  connectors: DiscoveredConnector[];
  broken: DiscoveryResult['broken'];
  bySlug: Map<string, DiscoveredConnector>;
  sessions: BrowserSessions;
  /** The emulator preset of a connector, once the emulators run. */
  presetOf: (connector: DiscoveredConnector) => ConnectorPreset | undefined;
  /** Every message the emulators received, once they run. */
  inbox: () => PlaygroundInbox | undefined;
};

export const callbackUrlOf = (site: PlaygroundSite, connector: DiscoveredConnector) =>
  `${site.baseUrl}/callback/${connector.slug}`;

export const resultAnchorOf = (connector: DiscoveredConnector) =>
  `/connectors/${connector.slug}#result`;
