import type { HttpExchangeMessage } from '@idplug/base';
import type { ConnectorState } from './browser-sessions';
import { describeError, refreshStoredTokens } from './connector-runs';
import type { DiscoveredConnector } from './discovery';
import { maskExchanges, recordingExchanges, runSecretsOf } from './run-timeline';
import { configUsesEmulator, type PlaygroundSite } from './site';

/**
 * The actions of a run's details (connector-actions.ts dispatches to them): a send recorded into
 * the request timeline, and the refresh of the tokens a sign-in returned.
 */

/** A send (email or SMS) with its requests recorded into the run's timeline. */
export const recordSend = async (
  connector: DiscoveredConnector,
  state: ConnectorState,
  config: Record<string, unknown>,
  send: () => Promise<void>,
) => {
  const exchanges: HttpExchangeMessage[] = [];
  await recordingExchanges(exchanges, send);
  state.run = {
    ...state.run,
    timeline: {
      calls: ['sendMessage'],
      exchanges: maskExchanges(
        exchanges,
        runSecretsOf({ config, formItems: connector.metadata.formItems }),
      ),
    },
  };
};

/** The playground's own refusal of a refresh (nothing stored to refresh with). */
const refreshRefused = (message: string) =>
  ({
    kind: 'failed',
    during: 'The refresh',
    error: { code: undefined, message, data: undefined, isConnectorError: false },
    byPlayground: true,
  }) as const;

/**
 * `refresh`: `getAccessTokenByRefreshToken` with the refresh token the last sign-in returned, as
 * Logto renews stored tokens; the refreshed tokens (masked) become the result and its requests the
 * timeline. A rotated refresh token replaces the stored one.
 */
export const refreshSignInTokens = async (
  site: PlaygroundSite,
  connector: DiscoveredConnector,
  state: ConnectorState,
) => {
  const refresh = state.run?.refresh;
  if (!refresh?.available) {
    state.result = refreshRefused(
      refresh
        ? `Refresh is not available: ${refresh.reason}`
        : 'No sign-in in this browser returned a refresh token (or the playground restarted). Sign in first.',
    );
    return;
  }
  const preset = site.presetOf(connector);
  const exchanges: HttpExchangeMessage[] = [];
  const secrets = [...refresh.secrets];
  try {
    const tokenResponse = await recordingExchanges(exchanges, () =>
      refreshStoredTokens(connector, refresh.config, preset, refresh.refreshToken),
    );
    secrets.push(...runSecretsOf({ config: {}, tokenResponses: [tokenResponse] }));
    const rotated =
      typeof tokenResponse.refresh_token === 'string' &&
      tokenResponse.refresh_token !== refresh.refreshToken;
    if (rotated) {
      refresh.refreshToken = tokenResponse.refresh_token!;
    }
    refresh.secrets = secrets;
    state.result = {
      kind: 'refreshed',
      tokenResponse,
      rotated,
      usedEmulator: configUsesEmulator(preset, refresh.config),
    };
  } catch (error) {
    state.result = {
      kind: 'failed',
      during: 'getAccessTokenByRefreshToken',
      error: describeError(error),
    };
  }
  state.run = {
    ...state.run,
    // A new run: the config is masked again until revealed again.
    revealConfig: false,
    timeline: {
      calls: ['getAccessTokenByRefreshToken'],
      exchanges: maskExchanges(exchanges, secrets),
    },
  };
};
