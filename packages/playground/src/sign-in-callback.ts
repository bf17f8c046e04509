import type { ServerResponse } from 'node:http';
import type { ConnectorState } from './browser-sessions';
import { continueWithOfficialSignIn, finishedOfficialCallback } from './compare/compare-callback';
import { describeError, finishSignIn, SignInStepError } from './connector-runs';
import type { DiscoveredConnector } from './discovery';
import { redirect } from './http-messages';
import type { ActionResult } from './pages';
import { configUsesEmulator, type PlaygroundSite, resultAnchorOf } from './site';

/**
 * `/callback/<slug>`: where the provider sends the browser back. Checks the `state` as Logto's
 * experience app does, then hands the parameters to the connector's `getUserInfo`.
 */

/** The playground's own refusal (as Logto's experience app would refuse), not the connector's. */
const callbackFailure = (message: string, data?: unknown): ActionResult => ({
  kind: 'failed',
  during: 'The callback',
  error: { code: undefined, message, data, isConnectorError: false },
  byPlayground: true,
});

export const finishSignInCallback = async (
  site: PlaygroundSite,
  response: ServerResponse,
  connector: DiscoveredConnector,
  state: ConnectorState,
  url: URL,
) => {
  const parameters = Object.fromEntries(url.searchParams);
  const pending = state.pending;
  const page = resultAnchorOf(connector);
  if (await finishedOfficialCallback(site.compare, response, connector, state, parameters)) {
    return;
  }
  if (pending === undefined) {
    state.result = callbackFailure(
      'No sign-in is pending in this browser (it was finished already, or the playground restarted). Start again.',
    );
    return redirect(response, page);
  }
  // Logto's experience app checks the state it generated before handing the callback over.
  if (parameters.state !== pending.state) {
    state.result = callbackFailure(
      "The callback's `state` is not the one this sign-in sent: refused (CSRF check).",
      { state: parameters.state ?? null },
    );
    return redirect(response, page);
  }
  delete state.pending;
  const preset = site.presetOf(connector);
  try {
    const result = await finishSignIn(connector, pending, preset, parameters);
    state.result = {
      kind: 'signed-in',
      result,
      callbackParameters: parameters,
      authorizationUri: pending.authorizationUri,
      usedEmulator: configUsesEmulator(preset, pending.config),
    };
  } catch (error) {
    state.result =
      error instanceof SignInStepError
        ? { kind: 'failed', during: error.during, error: describeError(error.cause) }
        : { kind: 'failed', during: 'The sign-in', error: describeError(error) };
  }
  if (site.compare) {
    return continueWithOfficialSignIn(site.compare, site, response, connector, state, pending);
  }
  return redirect(response, page);
};
