import { join } from 'node:path';
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { captureConsoleLog, describeError, LoggedSendError, startSignIn } from './connector-runs';
import { type DiscoveredConnector, loadConnector, workspacePackagesDirectory } from './discovery';
import type { ConnectorPreset } from './emulators';

describe('describing what a connector threw', () => {
  it('reads the code and the readable message of a ConnectorError, and keeps the other data', () => {
    const error = new ConnectorError(ConnectorErrorCodes.InvalidResponse, {
      message: 'The provider answered HTML',
      status: 502,
    });
    expect(describeError(error)).toEqual({
      code: 'invalid_response',
      message: 'The provider answered HTML',
      data: { status: 502 },
      isConnectorError: true,
    });
  });

  it('recognises a ConnectorError from another copy of connector-kit by its shape', () => {
    const foreign = Object.assign(new Error('ConnectorError: {"message":"Bad secret"}'), {
      code: 'general',
      data: { message: 'Bad secret' },
    });
    expect(describeError(foreign)).toMatchObject({
      code: 'general',
      message: 'Bad secret',
      data: undefined,
    });
  });

  it('flags anything else as not a ConnectorError (Logto would answer 500)', () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({
      code: undefined,
      message: 'TypeError: x is undefined',
      data: undefined,
      isConnectorError: false,
    });
  });
});

describe('choosing between the emulator and the real provider', () => {
  let google: DiscoveredConnector;
  const emulatorClientId = 'emulator-client.apps.googleusercontent.com';
  const emulatorAuthorizationEndpoint = 'http://127.0.0.1:9/o/oauth2/v2/auth';

  const preset = (): ConnectorPreset => ({
    emulatorName: 'Google emulator',
    config: {},
    usesEmulator: (config) => config.clientId === emulatorClientId,
    emulatorFactory: vi.fn((module) =>
      (module.configureGoogleConnector as (options: unknown) => never)({
        endpoints: { authorizationEndpoint: emulatorAuthorizationEndpoint },
      }),
    ),
  });

  beforeAll(async () => {
    google = await loadConnector(join(workspacePackagesDirectory(), 'connector-google'));
  });

  it('uses the emulator-bound factory while the config holds the emulator’s client id', async () => {
    const emulator = preset();
    const pending = await startSignIn(
      google,
      { clientId: emulatorClientId, clientSecret: 'secret' },
      emulator,
      'http://127.0.0.1:1/callback/google',
      undefined,
    );
    expect(emulator.emulatorFactory).toHaveBeenCalled();
    expect(pending.authorizationUri.startsWith(`${emulatorAuthorizationEndpoint}?`)).toBe(true);
    const url = new URL(pending.authorizationUri);
    expect(url.searchParams.get('state')).toBe(pending.state);
    // The connector session holds what the callback needs, as Logto keeps it.
    expect(pending.connectorSession).toMatchObject({
      redirectUri: 'http://127.0.0.1:1/callback/google',
      state: pending.state,
      nonce: url.searchParams.get('nonce'),
    });
  });

  it('signs in at the real Google once the client id is the user’s own', async () => {
    const emulator = preset();
    const pending = await startSignIn(
      google,
      { clientId: 'real-client.apps.googleusercontent.com', clientSecret: 'secret' },
      emulator,
      'http://127.0.0.1:1/callback/google',
      undefined,
    );
    expect(emulator.emulatorFactory).not.toHaveBeenCalled();
    // The request Google would get (nothing is sent: the browser follows this URL).
    const url = new URL(pending.authorizationUri);
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'real-client.apps.googleusercontent.com',
      redirect_uri: 'http://127.0.0.1:1/callback/google',
      response_type: 'code',
      state: pending.state,
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('scope')?.split(' ')).toContain('openid');
    // The callback can be checked: the session holds this sign-in's state, nonce and redirect.
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(pending.connectorSession).toMatchObject({
      redirectUri: 'http://127.0.0.1:1/callback/google',
      state: pending.state,
      nonce: url.searchParams.get('nonce'),
    });
  });
});

describe('showing what a connector logs', () => {
  it('collects the console lines written during a send, and restores the console after', async () => {
    const { log } = console;
    const { result, lines } = await captureConsoleLog(async () => {
      console.log('[%s] %s', 'DEBUG', 'C: EHLO [127.0.0.1]');
      console.info('S: 250 OK');
      return 'sent';
    });
    expect(result).toBe('sent');
    expect(lines).toEqual(['[DEBUG] C: EHLO [127.0.0.1]', 'S: 250 OK']);
    expect(console.log).toBe(log);
  });

  it('keeps the lines logged before a failure beside the error', async () => {
    const failure = await captureConsoleLog(async () => {
      console.log('C: AUTH LOGIN');
      throw new Error('535 Authentication failed');
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LoggedSendError);
    expect((failure as LoggedSendError).log).toEqual(['C: AUTH LOGIN']);
    expect(((failure as LoggedSendError).cause as Error).message).toBe('535 Authentication failed');
  });
});
