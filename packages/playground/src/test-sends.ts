import {
  ConnectorType,
  type EmailConnector,
  type SmsConnector,
  TemplateType,
} from '@logto/connector-kit';
import {
  asksToLog,
  captureConsoleLog,
  describeError,
  instantiateConnector,
  LoggedSendError,
} from './connector-runs';
import type { DiscoveredConnector } from './discovery';
import type { ConnectorPreset, ReceivedMail } from './emulators';
import type { PlaygroundInbox } from './inbox';
import type { ActionResult } from './pages';
import { configUsesEmulator, type PlaygroundSite } from './site';
import { createI18nTemplateRecorder, reportTemplate, type TemplateReport } from './template-report';

/**
 * A test message through an email or SMS connector, as Logto's console sends one:
 * `sendMessage({ to, type, payload: { code, locale } }, config)`, with Logto's localized template
 * hook. What the emulator received during the call is the result, and the playground's inbox
 * remembers what was asked beside it.
 */

export type TestSendRequest = {
  to: string;
  usageType: TemplateType;
  /** Email only. */
  locale?: string;
  code: string;
};

export type TestSendResult = {
  returned: unknown;
  /** What the emulator received; undefined when the config talks to a real provider. */
  received: ReceivedMail[] | undefined;
  template: TemplateReport;
  /** What the connector logged during the send (SMTP's `logger` / `debug`), for the page. */
  log?: string[];
};

export const sendTestMessage = async (
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
  preset: ConnectorPreset | undefined,
  request: TestSendRequest,
  inbox?: PlaygroundInbox,
): Promise<TestSendResult> => {
  const i18n = createI18nTemplateRecorder();
  const instance = await instantiateConnector(connector, config, preset, {
    getI18nEmailTemplate: i18n.getI18nEmailTemplate,
  });
  if (instance.type !== ConnectorType.Email && instance.type !== ConnectorType.Sms) {
    throw new Error('Not an email or SMS connector');
  }
  const emulatorInbox = configUsesEmulator(preset, config) ? preset?.inbox : undefined;
  const before = (await emulatorInbox?.messages())?.length ?? 0;
  const send = () =>
    (instance as EmailConnector | SmsConnector).sendMessage(
      {
        to: request.to,
        type: request.usageType,
        payload: { code: request.code, ...(request.locale && { locale: request.locale }) },
      },
      config,
    );
  const { result: returned, lines } = asksToLog(config)
    ? await captureConsoleLog(send)
    : { result: await send(), lines: undefined };
  const received = (await emulatorInbox?.messages())?.slice(before);
  const template = reportTemplate({
    usageType: request.usageType,
    locale: request.locale || undefined,
    config,
    i18nAnswered: i18n.asked.some(({ answered }) => answered),
  });
  if (received && received.length > 0) {
    inbox?.remember(
      received.map(({ id }) => id),
      { connectorId: connector.metadata.id, template },
    );
  }
  return { returned, received, template, ...(lines && { log: lines }) };
};

const isTemplateType = (value: string): value is TemplateType =>
  (Object.values(TemplateType) as string[]).includes(value);

/**
 * The idplug connector's test send: the result `toResult` makes of it, or the failure as Logto
 * would see it (an unknown usage type never reaches the connector).
 */
const ownTestSendOutcome = async (
  site: PlaygroundSite,
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
  request: Omit<TestSendRequest, 'usageType'> & { usageType: string },
  toResult: (sent: TestSendResult) => ActionResult,
): Promise<ActionResult> => {
  const { usageType } = request;
  if (!isTemplateType(usageType)) {
    return {
      kind: 'failed',
      during: 'sendMessage',
      error: {
        code: undefined,
        message: `Unknown usage type ${usageType}`,
        data: undefined,
        isConnectorError: false,
      },
    };
  }
  try {
    return toResult(
      await sendTestMessage(
        connector,
        config,
        site.presetOf(connector),
        { ...request, usageType },
        site.inbox(),
      ),
    );
  } catch (error) {
    const logged = error instanceof LoggedSendError ? error : undefined;
    return {
      kind: 'failed',
      during: 'sendMessage',
      error: describeError(logged ? logged.cause : error),
      ...(logged && { log: logged.log }),
    };
  }
};

/**
 * A test send from a connector's page: the result `toResult` makes of it, or the failure as Logto
 * would see it; in compare mode with the official package's run of the same send beside it.
 */
export const testSendOutcome = async (
  ...send: Parameters<typeof ownTestSendOutcome>
): Promise<ActionResult> => {
  const ours = await ownTestSendOutcome(...send);
  const [site, connector, config, request] = send;
  const { usageType } = request;
  return site.compare && isTemplateType(usageType)
    ? site.compare.addOfficialSend(
        connector,
        config,
        site.presetOf(connector),
        { ...request, usageType },
        ours,
      )
    : ours;
};
