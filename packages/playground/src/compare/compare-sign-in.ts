import { officialFactory, routeToEmulator } from '@idplug/emulators';
import type { SocialConnector } from '@logto/connector-kit';
import { finishSignIn, type PendingSignIn, SignInStepError, startSignIn } from '../connector-runs';
import type { DiscoveredConnector } from '../discovery';
import type { ConnectorPreset } from '../emulators';
import {
  type CompareSendContext,
  describeOfficialError,
  type OfficialOutcome,
  prepareOfficialRun,
} from './compare-send';
import { officialPackages } from './official-connectors';

/**
 * Compare mode's sign-in: after the idplug connector's sign-in, the official package runs the
 * same flow with the same config and its own `state`. An authorization code is single-use, so it
 * needs its own trip: its authorization URL (the real provider's) is rewritten onto the emulator,
 * the browser goes there, and the emulator sends it back to the same callback, where the
 * official package finishes. Its token and user requests are forwarded to the emulator too.
 */

export type OfficialPendingSignIn = PendingSignIn & {
  packageName: string;
  /** The official package as the playground runs a connector (its factory as the default export). */
  asConnector: DiscoveredConnector;
};

export type OfficialSignInStart =
  | { kind: 'redirect'; pending: OfficialPendingSignIn }
  | { kind: 'outcome'; outcome: OfficialOutcome };

type SignInContext = Pick<CompareSendContext, 'forwarding' | 'emulators' | 'load'>;

const routesOf = (
  context: SignInContext,
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
) => officialPackages.get(connector.metadata.id)?.routes(context.emulators, config) ?? {};

export const startOfficialSignIn = async (
  context: SignInContext,
  connector: DiscoveredConnector,
  preset: ConnectorPreset | undefined,
  /** The idplug connector's sign-in: its config and redirect URI are the official's too. */
  ours: Pick<PendingSignIn, 'config' | 'redirectUri'>,
): Promise<OfficialSignInStart> => {
  const { config, redirectUri } = ours;
  const ready = await prepareOfficialRun(context, connector, config, preset, 'sign-in');
  if (!ready.ok) {
    return { kind: 'outcome', outcome: ready.outcome };
  }
  const { loaded } = ready;
  const { packageName } = ready.official;
  const factory = officialFactory<SocialConnector>(loaded.module);
  const routes = routesOf(context, connector, config);
  const run = await context.forwarding.run(routes, async () => {
    const { metadata } = await factory({ getConfig: async () => config });
    const asConnector: DiscoveredConnector = {
      ...connector,
      metadata,
      module: { default: factory },
    };
    const pending = await startSignIn(asConnector, config, undefined, redirectUri, undefined);
    return { ...pending, packageName, asConnector };
  });
  if (!run.outcome.ok) {
    return {
      kind: 'outcome',
      outcome: {
        kind: 'failed',
        packageName,
        during: 'getAuthorizationUri',
        error: describeOfficialError(run.outcome.error, config),
        refusedAddresses: run.refused,
      },
    };
  }
  const pending = run.outcome.value;
  // The browser's trip goes to the emulator in place of the provider the package has fixed.
  return {
    kind: 'redirect',
    pending: { ...pending, authorizationUri: routeToEmulator(pending.authorizationUri, routes) },
  };
};

export const finishOfficialSignIn = async (
  context: SignInContext,
  connector: DiscoveredConnector,
  pending: OfficialPendingSignIn,
  callbackParameters: Record<string, string>,
): Promise<OfficialOutcome> => {
  const { packageName } = pending;
  // Logto's experience app posts the callback query with the redirect URI it used; the official
  // Google package reads it from there (ours keeps it in the connector session).
  const data = { ...callbackParameters, redirectUri: pending.redirectUri };
  const run = await context.forwarding.run(routesOf(context, connector, pending.config), () =>
    finishSignIn(pending.asConnector, pending, undefined, data),
  );
  if (!run.outcome.ok) {
    const { error } = run.outcome;
    return {
      kind: 'failed',
      packageName,
      during: error instanceof SignInStepError ? error.during : 'The sign-in',
      error: describeOfficialError(
        error instanceof SignInStepError ? error.cause : error,
        pending.config,
        callbackParameters,
      ),
      refusedAddresses: run.refused,
    };
  }
  return { kind: 'signed-in', packageName, result: run.outcome.value };
};
