import type { ConnectorPreset, ReceivedMail } from './emulators';
import type { TemplateReport } from './template-report';

/**
 * The playground's inbox: every email and SMS any emulator received since start, newest first,
 * each with the connector whose emulator took it, and, for a message the playground sent, the
 * usage type it asked for and which template answered.
 */

/** What the playground asked for when it sent a message. */
export type SendRecord = {
  connectorId: string;
  template: TemplateReport;
  /** Compare mode: which connector sent it (the idplug one or the official package). */
  sentBy?: string;
};

export type InboxEntry = {
  message: ReceivedMail;
  /** Metadata id of the connector the emulator stands in for. */
  connectorId: string;
  emulatorName: string;
  /** Undefined for a message sent from elsewhere (a Logto pointed at the emulator). */
  sent: SendRecord | undefined;
};

export type PlaygroundInbox = {
  /** Newest first. */
  list(): Promise<InboxEntry[]>;
  /** Keeps what a send asked for beside the messages it produced. */
  remember(messageIds: readonly string[], sent: SendRecord): void;
};

export const createPlaygroundInbox = (
  presets: ReadonlyMap<string, Pick<ConnectorPreset, 'emulatorName' | 'inbox'>>,
): PlaygroundInbox => {
  const sends = new Map<string, SendRecord>();
  return {
    list: async () => {
      const perEmulator = await Promise.all(
        [...presets].map(async ([connectorId, preset]) =>
          ((await preset.inbox?.messages()) ?? []).map((message) => ({
            message,
            connectorId,
            emulatorName: preset.emulatorName,
            sent: sends.get(message.id),
          })),
        ),
      );
      // A stable sort: messages of one emulator with the same time keep their arrival order
      // (reversed, as the whole list is).
      return perEmulator
        .flat()
        .reverse()
        .sort(
          (left, right) => right.message.receivedAt.getTime() - left.message.receivedAt.getTime(),
        );
    },
    remember: (messageIds, sent) => {
      for (const id of messageIds) {
        sends.set(id, sent);
      }
    },
  };
};
