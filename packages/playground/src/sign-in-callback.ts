import type { ServerResponse } from 'node:http';
import type { HttpExchangeMessage } from '@idplug/base';
import type { ConnectorState } from './browser-sessions';
import { continueWithOfficialSignIn, finishedOfficialCallback } from './compare/compare-callback';
import {
  describeError,
  finishSignIn,
  refreshUnavailableReason,
  type SignInResult,
  SignInStepError,
} from './connector-runs';
import type { DiscoveredConnector } from './discovery';
import { redirect } from './http-messages';
import type { ActionResult } from './pages';
import type { RefreshAvailability } from './run-panels';
import { maskExchanges, recordingExchanges, runSecretsOf } from './run-timeline';
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

const refreshAvailabilityOf = (
  site: PlaygroundSite,
  connector: DiscoveredConnector,
  result: SignInResult,
  pending: { config: Record<string, unknown> },
  secrets: string[],
): RefreshAvailability => {
  const preset = site.presetOf(connector);
  const provider =
    preset && configUsesEmulator(preset, pending.config)
      ? `The ${preset.emulatorName}`
      : 'The provider';
  const reason = refreshUnavailableReason(connector, result, provider);
  return reason === undefined
    ? {
        available: true,
        config: pending.config,
        refreshToken: result.tokenResponse!.refresh_token!,
        secrets,
      }
    : { available: false, reason };
};

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
  // The sign-in's timeline: what getAuthorizationUri sent, then what the callback's call sends.
  const exchanges: HttpExchangeMessage[] = [...(pending.exchanges ?? [])];
  let signedIn: SignInResult | undefined;
  try {
    const result = await recordingExchanges(exchanges, () =>
      finishSignIn(connector, pending, preset, parameters),
    );
    signedIn = result;
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
  const secrets = runSecretsOf({
    config: pending.config,
    formItems: connector.metadata.formItems,
    tokenResponses: [signedIn?.tokenResponse],
    callbackParameters: parameters,
  });
  state.run = {
    logtoConfig: pending.config,
    timeline: {
      calls: ['getAuthorizationUri', signedIn?.method ?? 'getUserInfo'],
      exchanges: maskExchanges(exchanges, secrets),
    },
    ...(signedIn && {
      refresh: refreshAvailabilityOf(site, connector, signedIn, pending, secrets),
    }),
  };
  if (site.compare) {
    return continueWithOfficialSignIn(site.compare, site, response, connector, state, pending);
  }
  return redirect(response, page);
};
