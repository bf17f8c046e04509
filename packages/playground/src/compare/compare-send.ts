import { officialFactory } from '@idplug/emulators';
import type { EmailConnector, SmsConnector } from '@logto/connector-kit';
import { describeError, type RunError, type SignInResult } from '../connector-runs';
import type { DiscoveredConnector } from '../discovery';
import type { ConnectorPreset, Emulators, ReceivedMail } from '../emulators';
import type { PlaygroundInbox } from '../inbox';
import { maskSecret, maskSecrets } from '../masking';
import { configUsesEmulator } from '../site';
import { createI18nTemplateRecorder, reportTemplate } from '../template-report';
import type { TestSendRequest } from '../test-sends';
import {
  type LoadedOfficialPackage,
  loadOfficialPackage,
  type OfficialPackage,
  officialPackages,
} from './official-connectors';
import type { OfficialForwarding } from './official-forwarding';

/**
 * Compare mode's test send: the same message, with the same stored config, through the official
 * package, into the same emulator. What the emulator received from it lands in the inbox marked
 * as the official connector's.
 */

export type OfficialOutcome =
  /** No official package to compare with (none known, or not installed). */
  | { kind: 'unavailable'; packageName?: string; reason: string }
  /** Not run: it could only have reached the real provider. */
  | { kind: 'refused'; packageName: string; reason: string }
  | { kind: 'sent'; packageName: string; returned: unknown; received: ReceivedMail[] }
  | { kind: 'signed-in'; packageName: string; result: SignInResult }
  | {
      kind: 'failed';
      packageName: string;
      /** The call that failed (`sendMessage`, `getAuthorizationUri`, `getUserInfo`...). */
      during: string;
      error: RunError;
      /** Provider addresses it tried that have no emulator: refused, nothing sent. */
      refusedAddresses: string[];
    };

export type CompareSendContext = {
  forwarding: OfficialForwarding;
  emulators: Emulators;
  inbox: PlaygroundInbox | undefined;
  /** The official package by name (tests hand in their own). */
  load?: (packageName: string) => Promise<LoadedOfficialPackage>;
};

/**
 * What an official connector's `sendMessage` returned, as plain data for the page: several return
 * their HTTP client's whole response (`got`'s, with cycles), of which the status and body say what
 * there is to see.
 */
const parsedIfJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const plainReturnValue = (value: unknown): unknown => {
  try {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  } catch {
    const { statusCode, body } = value as { statusCode?: unknown; body?: unknown };
    if (typeof statusCode === 'number') {
      return { statusCode, body: typeof body === 'string' ? parsedIfJson(body) : null };
    }
    return `(a ${(value as object).constructor?.name ?? 'value'} that is not plain data)`;
  }
};

export type PreparedOfficialRun =
  | { ok: true; official: OfficialPackage; loaded: { module: unknown } }
  | { ok: false; outcome: OfficialOutcome };

/**
 * What every official run checks first: that an official package is known for the connector,
 * that the config uses the emulator (an official run never goes to the real provider), and that
 * the package is installed.
 */
export const prepareOfficialRun = async (
  context: Pick<CompareSendContext, 'load'>,
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
  preset: ConnectorPreset | undefined,
  run: 'test send' | 'sign-in',
): Promise<PreparedOfficialRun> => {
  const official = officialPackages.get(connector.metadata.id);
  if (official === undefined) {
    return {
      ok: false,
      outcome: {
        kind: 'unavailable',
        reason: `No official @logto package is compared with ${connector.metadata.id} here.`,
      },
    };
  }
  const { packageName } = official;
  if (!configUsesEmulator(preset, config)) {
    return {
      ok: false,
      outcome: {
        kind: 'refused',
        packageName,
        reason: `Compare mode runs the official package against the emulator only, and this config talks to the real provider: the official ${run} was not started.`,
      },
    };
  }
  const loaded = await (context.load ?? loadOfficialPackage)(packageName);
  if (!loaded.installed) {
    return {
      ok: false,
      outcome: {
        kind: 'unavailable',
        packageName,
        reason: `Official package not installed: ${loaded.reason}`,
      },
    };
  }
  return { ok: true, official, loaded };
};

/** Every string of `value` its masked copy hides (config secrets, a callback's `code`). */
const secretValuesOf = (value: unknown, masked: unknown = maskSecrets(value)): string[] => {
  if (typeof value === 'string') {
    return value !== masked && value.length >= 4 ? [value] : [];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      secretValuesOf(item, (masked as Record<string, unknown>)[key]),
    );
  }
  return [];
};

/**
 * An official connector's error as the page shows it. Official packages put what they got into
 * their messages (Google's `general` error carries the whole callback, code included), so the
 * run's secret values are masked in the message as they are in data.
 */
export const describeOfficialError = (error: unknown, ...secretSources: unknown[]): RunError => {
  const described = describeError(error);
  const message = secretSources
    .flatMap((source) => secretValuesOf(source))
    .reduce((text, secret) => text.split(secret).join(maskSecret(secret)), described.message);
  return { ...described, message };
};

/** The inbox's label for messages the official package sent in compare mode. */
export const officialSenderLabel = (packageName: string) => `official ${packageName}`;

export const sendThroughOfficial = async (
  context: CompareSendContext,
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
  preset: ConnectorPreset | undefined,
  request: TestSendRequest,
): Promise<OfficialOutcome> => {
  const ready = await prepareOfficialRun(context, connector, config, preset, 'test send');
  if (!ready.ok) {
    return ready.outcome;
  }
  const { official, loaded } = ready;
  const { packageName } = official;
  const before = (await preset?.inbox?.messages())?.length ?? 0;
  const i18n = createI18nTemplateRecorder();
  const officialConfig = official.officialConfig?.(config) ?? config;
  const run = await context.forwarding.run(official.routes(context.emulators, config), async () => {
    const instance = (await officialFactory(loaded.module)({
      getConfig: async () => officialConfig,
      getI18nEmailTemplate: i18n.getI18nEmailTemplate,
    })) as EmailConnector | SmsConnector;
    return instance.sendMessage({
      to: request.to,
      type: request.usageType,
      payload: { code: request.code, ...(request.locale && { locale: request.locale }) },
    });
  });
  const received = ((await preset?.inbox?.messages()) ?? []).slice(before);
  if (received.length > 0) {
    context.inbox?.remember(
      received.map(({ id }) => id),
      {
        connectorId: connector.metadata.id,
        template: reportTemplate({
          usageType: request.usageType,
          locale: request.locale || undefined,
          config,
          i18nAnswered: i18n.asked.some(({ answered }) => answered),
        }),
        sentBy: officialSenderLabel(packageName),
      },
    );
  }
  if (!run.outcome.ok) {
    return {
      kind: 'failed',
      packageName,
      during: 'sendMessage',
      error: describeOfficialError(run.outcome.error, config),
      refusedAddresses: run.refused,
    };
  }
  return { kind: 'sent', packageName, returned: plainReturnValue(run.outcome.value), received };
};
