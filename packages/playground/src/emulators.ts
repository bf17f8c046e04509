import type { AllConnector, CreateConnector } from '@logto/connector-kit';
import type { ConnectorModule } from './discovery';
import { createPlaygroundInbox, type PlaygroundInbox } from './inbox';
import { type EmailEmulators, emailPresets, startEmailEmulators } from './presets/email';
import { type SmsEmulators, smsPresets, startSmsEmulators } from './presets/sms';
import { type SocialEmulators, socialPresets, startSocialEmulators } from './presets/social';
import { startTogether, stopAll } from './presets/start-together';

/**
 * The provider emulators the playground starts, all from `@idplug/emulators` (the same ones the
 * integration tests use), and one preset per known connector: a config that works against its
 * emulator with no credentials. The presets live by family in `presets/`; a connector the
 * playground has no preset for is still listed, with an empty form, for its real provider.
 */

/** A message (email or SMS) as an emulator received it. */
export type ReceivedMail = {
  /** Unique in this run: the emulator and the message's position in it. */
  id: string;
  channel: 'email' | 'sms';
  receivedBy: string;
  /** When the emulator took it (when the playground first saw it, for an emulator that keeps no time). */
  receivedAt: Date;
  from: string;
  to: string[];
  /** Empty for an SMS. */
  subject: string;
  html: string | undefined;
  text: string | undefined;
  /** The template the provider side names (Aliyun SMS template code, Postmark alias...). */
  providerTemplate?: string;
  /** Other facts worth showing (envelope, authenticated user, signature, request id...). */
  details: Record<string, string>;
};

export type Inbox = {
  /** Every message the emulator received since it started, oldest first. */
  messages(): Promise<ReceivedMail[]>;
};

export type ConnectorPreset = {
  /** "Google emulator", for the page. */
  emulatorName: string;
  /** A config that works against the emulator. */
  config: Record<string, unknown>;
  /** Whether a config still talks to the emulator (the user may have switched to the real provider). */
  usesEmulator(config: Record<string, unknown>): boolean;
  /**
   * Config keys the connector's form has no item for (an `endpoint` only tests and the playground
   * set), added to a config that uses the emulator; otherwise the connector would call the
   * real provider.
   */
  formlessConfig?: Record<string, unknown>;
  /**
   * The connector factory for a config that uses the emulator, when the connector needs one (its
   * endpoints cannot be set by config); otherwise the package's default export is used.
   */
  emulatorFactory?(module: ConnectorModule): CreateConnector<AllConnector> | undefined;
  /** Email and SMS connectors: what their emulator received. */
  inbox?: Inbox;
  /** The emulator's base URL, where its fault switch is (faults.ts); absent for a third-party one. */
  emulatorUrl?: string;
};

export type Emulators = SocialEmulators &
  EmailEmulators &
  SmsEmulators & {
    /** Presets keyed by connector metadata id. */
    presets: Map<string, ConnectorPreset>;
    /** Every email and SMS any emulator received since start. */
    inbox: PlaygroundInbox;
    stop(): Promise<void>;
  };

/** The config a connector runs with: the form's, plus what only the emulator needs. */
export const runConfigOf = (
  preset: ConnectorPreset | undefined,
  config: Record<string, unknown>,
): Record<string, unknown> =>
  preset?.formlessConfig && preset.usesEmulator(config)
    ? { ...config, ...preset.formlessConfig }
    : config;

/**
 * Starts every emulator at once (startup is as slow as the slowest one, not their sum).
 * @param callbackUrl the playground's callback URL for a connector metadata id (OpenID
 *   Providers register redirect URIs exactly).
 */
export const startEmulators = async (
  callbackUrl: (metadataId: string) => string,
): Promise<Emulators> => {
  const started = await startTogether({
    ...startSocialEmulators(callbackUrl),
    ...startEmailEmulators(),
    ...startSmsEmulators(),
  });
  const presets = new Map<string, ConnectorPreset>([
    ...socialPresets(started),
    ...emailPresets(started),
    ...smsPresets(started),
  ]);
  return {
    ...started,
    presets,
    inbox: createPlaygroundInbox(presets),
    stop: () => stopAll(started),
  };
};
