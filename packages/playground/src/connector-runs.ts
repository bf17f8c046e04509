import { randomBytes, randomUUID } from 'node:crypto';
import { format } from 'node:util';
import type { HttpExchangeMessage } from '@idplug/base';
import {
  type AllConnector,
  ConnectorError,
  ConnectorErrorCodes,
  type ConnectorSession,
  ConnectorType,
  type GetI18nEmailTemplate,
  type SocialConnector,
  type SocialUserInfo,
  type TokenResponse,
} from '@logto/connector-kit';
import type { DiscoveredConnector } from './discovery';
import type { ConnectorPreset } from './emulators';
import { configUsesEmulator } from './site';

/**
 * Runs a connector the way Logto does: a fresh instance whose `getConfig` returns the config under
 * test, a connector session kept by the host between `getAuthorizationUri` and the callback, the
 * callback's query handed to `getUserInfo`. Test messages (`sendMessage`) are in test-sends.ts.
 */

/** What a failed call looked like to Logto: a ConnectorError's code, message and data, or not one. */
export type RunError = {
  code: string | undefined;
  message: string;
  data: unknown;
  /** false when the connector threw something that is not a ConnectorError (Logto answers 500). */
  isConnectorError: boolean;
};

const connectorErrorCodes = new Set<string>(Object.values(ConnectorErrorCodes));

/**
 * connector-kit's ConnectorError keeps the name `Error` and puts the readable text in
 * `data.message` (its own message is `ConnectorError: <data as JSON>`). A connector's copy of
 * connector-kit may not be the playground's, so the check is by shape, not `instanceof` alone.
 */
export const describeError = (error: unknown): RunError => {
  const candidate = error as { code?: unknown; data?: unknown } | undefined;
  if (
    error instanceof ConnectorError ||
    (error instanceof Error &&
      typeof candidate?.code === 'string' &&
      connectorErrorCodes.has(candidate.code) &&
      error.message.startsWith('ConnectorError'))
  ) {
    const { code, data } = error as Error & { code: string; data?: unknown };
    const fields = data && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
    const message = typeof fields?.message === 'string' ? fields.message : error.message;
    const rest = fields
      ? Object.fromEntries(Object.entries(fields).filter(([key]) => key !== 'message'))
      : data;
    const hasRest = rest !== undefined && !(fields && Object.keys(rest as object).length === 0);
    return { code, message, data: hasRest ? rest : undefined, isConnectorError: true };
  }
  return {
    code: undefined,
    message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    data: undefined,
    isConnectorError: false,
  };
};

export const instantiateConnector = async (
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
  preset: ConnectorPreset | undefined,
  /** What else Logto hands a connector (`getI18nEmailTemplate`). */
  host: { getI18nEmailTemplate?: GetI18nEmailTemplate } = {},
): Promise<AllConnector> => {
  const factory =
    (configUsesEmulator(preset, config)
      ? preset?.emulatorFactory?.(connector.module)
      : undefined) ?? connector.module.default;
  return factory({ getConfig: async () => config, ...host });
};

/** A sign-in started and waiting for its callback. */
export type PendingSignIn = {
  state: string;
  config: Record<string, unknown>;
  connectorSession: ConnectorSession;
  authorizationUri: string;
  redirectUri: string;
  /** What `getAuthorizationUri` sent (discovery), the start of the sign-in's request timeline. */
  exchanges?: HttpExchangeMessage[];
};

export const startSignIn = async (
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
  preset: ConnectorPreset | undefined,
  redirectUri: string,
  userAgent: string | undefined,
): Promise<PendingSignIn> => {
  const instance = await instantiateConnector(connector, config, preset);
  if (instance.type !== ConnectorType.Social) {
    throw new Error('Not a social connector');
  }
  const state = randomBytes(16).toString('base64url');
  const pending: PendingSignIn = {
    state,
    config,
    connectorSession: {},
    authorizationUri: '',
    redirectUri,
  };
  pending.authorizationUri = await (instance as SocialConnector).getAuthorizationUri(
    {
      state,
      redirectUri,
      connectorId: connector.slug,
      connectorFactoryId: connector.metadata.id,
      jti: randomUUID(),
      headers: userAgent === undefined ? {} : { userAgent },
    },
    // Logto replaces the interaction's connector session with what the connector stores.
    async (storage) => {
      pending.connectorSession = storage;
    },
  );
  return pending;
};

export type SignInResult = {
  method: 'getTokenResponseAndUserInfo' | 'getUserInfo';
  userInfo: SocialUserInfo;
  tokenResponse: TokenResponse | undefined;
  /** Whether Logto could renew the stored tokens: the connector has `getAccessTokenByRefreshToken`. */
  canRefresh: boolean;
};

/** A failed sign-in finish, with the call that failed (the result's heading names it). */
export class SignInStepError extends Error {
  constructor(
    readonly during: 'createConnector' | SignInResult['method'],
    override readonly cause: unknown,
  ) {
    super(`${during} failed`);
  }
}

export const finishSignIn = async (
  connector: DiscoveredConnector,
  pending: PendingSignIn,
  preset: ConnectorPreset | undefined,
  callbackParameters: Record<string, string>,
): Promise<SignInResult> => {
  const instance = (await instantiateConnector(connector, pending.config, preset).catch(
    (error: unknown) => {
      throw new SignInStepError('createConnector', error);
    },
  )) as SocialConnector;
  const getSession = async () => pending.connectorSession;
  // Logto calls getTokenResponseAndUserInfo when the connector stores tokens, getUserInfo otherwise.
  const method =
    connector.metadata.isTokenStorageSupported && instance.getTokenResponseAndUserInfo
      ? 'getTokenResponseAndUserInfo'
      : 'getUserInfo';
  // Logto refreshes only tokens it stored, and stores them only through getTokenResponseAndUserInfo.
  const canRefresh =
    method === 'getTokenResponseAndUserInfo' &&
    typeof instance.getAccessTokenByRefreshToken === 'function';
  try {
    if (method === 'getTokenResponseAndUserInfo') {
      const { userInfo, tokenResponse } = await instance.getTokenResponseAndUserInfo!(
        callbackParameters,
        getSession,
      );
      return { method, userInfo, tokenResponse, canRefresh };
    }
    return {
      method,
      userInfo: await instance.getUserInfo(callbackParameters, getSession),
      tokenResponse: undefined,
      canRefresh,
    };
  } catch (error) {
    throw new SignInStepError(method, error);
  }
};

/**
 * Why a sign-in's tokens cannot be refreshed, or `undefined` when they can: said on the page
 * rather than the action hidden, so a user learns what the connector or the provider lacks.
 */
export const refreshUnavailableReason = (
  connector: DiscoveredConnector,
  result: SignInResult,
  providerName: string,
): string | undefined => {
  if (!connector.metadata.isTokenStorageSupported) {
    return 'this connector does not support token storage (isTokenStorageSupported is false), so Logto keeps no refresh token to renew.';
  }
  if (!result.canRefresh) {
    return 'this connector does not implement getAccessTokenByRefreshToken.';
  }
  if (typeof result.tokenResponse?.refresh_token !== 'string') {
    return `${providerName} returned no refresh_token with this sign-in (some providers issue one only for offline access, such as an offline_access scope or Google's access_type=offline; GitHub OAuth apps without expiring tokens and Facebook issue none).`;
  }
  return undefined;
};

/** Logto's renewal of stored tokens: `getAccessTokenByRefreshToken` with the stored refresh token. */
export const refreshStoredTokens = async (
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
  preset: ConnectorPreset | undefined,
  refreshToken: string,
): Promise<TokenResponse> => {
  const instance = (await instantiateConnector(connector, config, preset)) as SocialConnector;
  if (typeof instance.getAccessTokenByRefreshToken !== 'function') {
    throw new Error('The connector has no getAccessTokenByRefreshToken');
  }
  return instance.getAccessTokenByRefreshToken(refreshToken);
};

/**
 * A connector asked to log (SMTP's `logger` and `debug` switches: nodemailer writes the SMTP
 * conversation with `console.log`, credentials masked) logs to the page instead of only the
 * terminal: the lines written while `run` runs, in order. The playground sends one message at a
 * time for its one user, so borrowing the console for that while is safe enough.
 */
export const captureConsoleLog = async <Result>(
  run: () => Promise<Result>,
): Promise<{ result: Result; lines: string[] }> => {
  const lines: string[] = [];
  const { log, info } = console;
  const capture = (...parts: unknown[]) => {
    lines.push(format(...parts));
  };
  console.log = capture;
  console.info = capture;
  try {
    return { result: await run(), lines };
  } catch (error) {
    throw new LoggedSendError(error, lines);
  } finally {
    console.log = log;
    console.info = info;
  }
};

/** A failed send, with what the connector logged before it failed (the most useful part). */
export class LoggedSendError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly log: string[],
  ) {
    super('sendMessage failed');
  }
}

/** SMTP's `logger` / `debug` switches: the connector will log the conversation. */
export const asksToLog = (config: Record<string, unknown>) =>
  config.logger === true || config.debug === true;
