import type { PendingSignIn } from '../connector-runs';
import type { DiscoveredConnector } from '../discovery';
import type { ConnectorPreset, Emulators } from '../emulators';
import type { ActionResult } from '../pages';
import type { TestSendRequest } from '../test-sends';
import { sendThroughOfficial } from './compare-send';
import {
  finishOfficialSignIn,
  type OfficialPendingSignIn,
  type OfficialSignInStart,
  startOfficialSignIn,
} from './compare-sign-in';
import { startOfficialForwarding } from './official-forwarding';

/**
 * `pnpm playground --compare`: the official `@logto/connector-*` package runs beside each idplug
 * test send, against the same emulator, and the page shows both results. Only started with the
 * flag: it installs msw in the playground process (see official-forwarding.ts).
 */

/** The inbox's label for messages the idplug connector sent in compare mode. */
export const idplugSenderLabel = 'idplug connector';

export type CompareMode = {
  /** `ours` with the official package's run of the same test send beside it. */
  addOfficialSend(
    connector: DiscoveredConnector,
    config: Record<string, unknown>,
    preset: ConnectorPreset | undefined,
    request: TestSendRequest,
    ours: ActionResult,
  ): Promise<ActionResult>;
  /** After the idplug connector's sign-in: the official package's own trip, or why there is none. */
  startOfficialSignIn(
    connector: DiscoveredConnector,
    preset: ConnectorPreset | undefined,
    ours: PendingSignIn,
  ): Promise<OfficialSignInStart>;
  /** The callback of that trip: `ours` (the idplug sign-in's result) with the official's beside it. */
  finishOfficialSignIn(
    connector: DiscoveredConnector,
    pending: OfficialPendingSignIn,
    callbackParameters: Record<string, string>,
    ours: ActionResult | undefined,
  ): Promise<ActionResult | undefined>;
  stop(): void;
};

export const startCompareMode = (emulators: Emulators): CompareMode => {
  const forwarding = startOfficialForwarding();
  return {
    addOfficialSend: async (connector, config, preset, request, ours) => {
      if (ours.kind !== 'sent' && ours.kind !== 'sms-sent' && ours.kind !== 'failed') {
        return ours;
      }
      if (ours.kind !== 'failed' && ours.received && ours.received.length > 0 && ours.template) {
        emulators.inbox.remember(
          ours.received.map(({ id }) => id),
          {
            connectorId: connector.metadata.id,
            template: ours.template,
            sentBy: idplugSenderLabel,
          },
        );
      }
      const official = await sendThroughOfficial(
        { forwarding, emulators, inbox: emulators.inbox },
        connector,
        config,
        preset,
        request,
      );
      return { ...ours, official };
    },
    startOfficialSignIn: (connector, preset, ours) =>
      startOfficialSignIn({ forwarding, emulators }, connector, preset, ours),
    finishOfficialSignIn: async (connector, pending, callbackParameters, ours) => {
      const official = await finishOfficialSignIn(
        { forwarding, emulators },
        connector,
        pending,
        callbackParameters,
      );
      return ours?.kind === 'signed-in' || ours?.kind === 'failed' ? { ...ours, official } : ours;
    },
    stop: () => forwarding.stop(),
  };
};
