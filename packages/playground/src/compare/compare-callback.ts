import type { ServerResponse } from 'node:http';
import type { ConnectorState } from '../browser-sessions';
import type { PendingSignIn } from '../connector-runs';
import type { DiscoveredConnector } from '../discovery';
import { redirect } from '../http-messages';
import { type PlaygroundSite, resultAnchorOf } from '../site';
import type { CompareMode } from './compare-mode';

/**
 * Compare mode's two steps in `/callback/<slug>`: after the idplug connector's sign-in finished,
 * the browser goes on to the official package's trip to the emulator (or back to the result with
 * the reason there is none); when that trip comes back (its own `state`), the official package
 * finishes and the page shows both.
 */

export const continueWithOfficialSignIn = async (
  compare: CompareMode,
  site: PlaygroundSite,
  response: ServerResponse,
  connector: DiscoveredConnector,
  state: ConnectorState,
  ours: PendingSignIn,
) => {
  const start = await compare.startOfficialSignIn(connector, site.presetOf(connector), ours);
  if (start.kind === 'redirect') {
    state.officialPending = start.pending;
    return redirect(response, start.pending.authorizationUri);
  }
  if (state.result?.kind === 'signed-in' || state.result?.kind === 'failed') {
    state.result = { ...state.result, official: start.outcome };
  }
  return redirect(response, resultAnchorOf(connector));
};

/** Whether this callback was the official package's trip (then it answered it). */
export const finishedOfficialCallback = async (
  compare: CompareMode | undefined,
  response: ServerResponse,
  connector: DiscoveredConnector,
  state: ConnectorState,
  parameters: Record<string, string>,
) => {
  const pending = state.officialPending;
  if (compare === undefined || pending === undefined || parameters.state !== pending.state) {
    return false;
  }
  delete state.officialPending;
  state.result = await compare.finishOfficialSignIn(connector, pending, parameters, state.result);
  redirect(response, resultAnchorOf(connector));
  return true;
};
