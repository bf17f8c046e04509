import type { BrowserSessions } from './browser-sessions';
import type { CompareMode } from './compare/compare-mode';
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
  /** The base URL of the previous run when it differs (its callback URLs are no longer valid). */
  previousBaseUrl?: string | undefined;
  /** Set with `--compare`: the official packages run beside ours. */
  compare?: CompareMode | undefined;
};

/**
 * Whether a config talks to the preset's emulator. A config is whatever the user typed: a preset
 * that cannot read it means "not the emulator", never a failed page.
 */
export const configUsesEmulator = (
  preset: ConnectorPreset | undefined,
  config: Record<string, unknown>,
): boolean => {
  try {
    return preset?.usesEmulator(config) ?? false;
  } catch {
    return false;
  }
};

export const callbackUrlOf = (site: PlaygroundSite, connector: DiscoveredConnector) =>
  `${site.baseUrl}/callback/${connector.slug}`;

export const resultAnchorOf = (connector: DiscoveredConnector) =>
  `/connectors/${connector.slug}#result`;
