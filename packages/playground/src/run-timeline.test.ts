import { join } from 'node:path';
import type { HttpExchangeMessage } from '@idplug/base';
import {
  type GithubEmulator,
  type GitlabEmulator,
  startGithubEmulator,
  startGitlabEmulator,
} from '@idplug/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  finishSignIn,
  type PendingSignIn,
  refreshStoredTokens,
  refreshUnavailableReason,
  startSignIn,
} from './connector-runs';
import { type DiscoveredConnector, loadConnector, workspacePackagesDirectory } from './discovery';
import {
  maskExchanges,
  maxShownBodyLength,
  recordingExchanges,
  runSecretsOf,
} from './run-timeline';

/**
 * The request timeline of a run, against real emulators: what `@idplug/base` publishes on
 * `idplug:http` while the playground runs a connector call, attributed to that run, masked.
 */

const redirectUri = 'http://127.0.0.1:1/callback/test';

/** Follows the authorization URL of an auto-approving emulator to the callback's parameters. */
const callbackParametersOf = async (pending: PendingSignIn) => {
  const answer = await fetch(pending.authorizationUri, { redirect: 'manual' });
  const location = new URL(answer.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return Object.fromEntries(location.searchParams);
};

/** A sign-in from start to finish, each half recorded as the playground records it. */
const recordedSignIn = async (connector: DiscoveredConnector, config: Record<string, unknown>) => {
  const exchanges: HttpExchangeMessage[] = [];
  const pending = await recordingExchanges(exchanges, () =>
    startSignIn(connector, config, undefined, redirectUri, undefined),
  );
  const parameters = await callbackParametersOf(pending);
  const result = await recordingExchanges(exchanges, () =>
    finishSignIn(connector, pending, undefined, parameters),
  );
  return { exchanges, result, parameters };
};

describe('the request timeline of a GitHub sign-in', () => {
  let github: GithubEmulator;
  let connector: DiscoveredConnector;
  let config: Record<string, unknown>;

  beforeAll(async () => {
    [github, connector] = await Promise.all([
      startGithubEmulator({ autoApprove: true }),
      loadConnector(join(workspacePackagesDirectory(), 'connector-github')),
    ]);
    config = {
      clientId: github.app.clientId,
      clientSecret: github.app.clientSecret,
      scope: 'read:user user:email',
      enterpriseUrl: github.baseUrl,
    };
  });

  afterAll(async () => {
    await github?.stop();
  });

  it('lists the token and user calls, with the token, the code and the client secret masked', async () => {
    const { exchanges, result, parameters } = await recordedSignIn(connector, config);
    const accessToken = result.tokenResponse?.access_token;
    expect(accessToken).toEqual(expect.any(String));

    const timeline = maskExchanges(
      exchanges,
      runSecretsOf({
        config,
        formItems: connector.metadata.formItems,
        tokenResponses: [result.tokenResponse],
        callbackParameters: parameters,
      }),
    );
    const calls = timeline.map(({ method, url, response }) => [
      method,
      new URL(url).pathname,
      response?.status,
    ]);
    expect(calls).toEqual(
      expect.arrayContaining([
        ['POST', '/login/oauth/access_token', 200],
        ['GET', '/api/v3/user', 200],
      ]),
    );
    const token = timeline.find(({ url }) => url.endsWith('/login/oauth/access_token'))!;
    expect(token.durationMs).toBeGreaterThanOrEqual(0);
    expect(token.request.body?.text).toContain('grant_type=authorization_code');
    expect(token.response?.body.text).toContain('"access_token"');
    const user = timeline.find(({ url }) => url.endsWith('/api/v3/user'))!;
    expect(user.request.headers.authorization).toMatch(/^(Bearer|token) \[redacted\]$/i);
    expect(user.response?.body.text).toContain('"login": "alice-gh"');

    const shown = JSON.stringify(timeline);
    for (const secret of [accessToken!, parameters.code!, github.app.clientSecret]) {
      expect(shown).not.toContain(secret);
    }
  });

  it('gives each run its own exchanges when runs overlap', async () => {
    const [first, second] = await Promise.all([
      recordedSignIn(connector, config),
      recordedSignIn(connector, config),
    ]);
    // Each run saw exactly its own token exchange: the one carrying its own code.
    for (const run of [first, second]) {
      const tokenCalls = run.exchanges.filter(({ url }) =>
        url.endsWith('/login/oauth/access_token'),
      );
      expect(tokenCalls).toHaveLength(1);
    }
    expect(first.parameters.code).not.toBe(second.parameters.code);
  });

  it('explains that the GitHub emulator returned no refresh token', async () => {
    const { result } = await recordedSignIn(connector, config);
    expect(result.canRefresh).toBe(true);
    expect(refreshUnavailableReason(connector, result, 'The GitHub emulator')).toMatch(
      /^The GitHub emulator returned no refresh_token/,
    );
  });
});

describe('refreshing the tokens of a GitLab sign-in', () => {
  let gitlab: GitlabEmulator;
  let connector: DiscoveredConnector;

  beforeAll(async () => {
    [gitlab, connector] = await Promise.all([
      startGitlabEmulator({ autoApprove: true }),
      loadConnector(join(workspacePackagesDirectory(), 'connector-gitlab')),
    ]);
  });

  afterAll(async () => {
    await gitlab?.stop();
  });

  it('calls getAccessTokenByRefreshToken with the stored refresh token, recording the refresh grant', async () => {
    const config = gitlab.config as Record<string, unknown>;
    const { result } = await recordedSignIn(connector, config);
    expect(refreshUnavailableReason(connector, result, 'The GitLab emulator')).toBeUndefined();
    const refreshToken = result.tokenResponse!.refresh_token!;
    const exchanges: HttpExchangeMessage[] = [];
    const refreshed = await recordingExchanges(exchanges, () =>
      refreshStoredTokens(connector, config, undefined, refreshToken),
    );
    expect(refreshed.access_token).toEqual(expect.any(String));
    expect(refreshed.access_token).not.toBe(result.tokenResponse!.access_token);
    const [grant, ...others] = maskExchanges(
      exchanges,
      runSecretsOf({ config, tokenResponses: [result.tokenResponse, refreshed] }),
    );
    expect(others).toEqual([]);
    expect(grant).toMatchObject({ method: 'POST', purpose: 'token', response: { status: 200 } });
    expect(grant!.request.body?.text).toContain('grant_type=refresh_token');
    expect(JSON.stringify(grant)).not.toContain(refreshToken);
    expect(JSON.stringify(grant)).not.toContain(refreshed.access_token);
  });
});

describe('masking a timeline', () => {
  const message = (body: string): HttpExchangeMessage => ({
    provider: 'Provider',
    purpose: 'api',
    method: 'GET',
    url: 'https://provider.example/items?key=provider-key-0123456789',
    attempt: 1,
    startedAt: 0,
    durationMs: 1,
    request: { headers: { 'x-key': 'provider-key-0123456789' } },
    response: { status: 200, headers: {}, body },
  });

  it('masks a secret the run knows wherever base left it, and pretty-prints JSON with secret keys masked', () => {
    const [shown] = maskExchanges(
      [message('{"id":1,"refresh_token":"rt-0123456789abcdef"}')],
      ['provider-key-0123456789'],
    );
    expect(shown!.url).not.toContain('provider-key-0123456789');
    expect(shown!.url).toContain('masked');
    expect(shown!.request.headers['x-key']).toContain('masked');
    expect(shown!.response!.body.text).toContain('"id": 1');
    expect(shown!.response!.body.text).not.toContain('rt-0123456789abcdef');
  });

  it('leaves what base redacted as it is, and a discovery document’s lists readable', () => {
    const [shown] = maskExchanges(
      [message('{"access_token":"[redacted]","id_token_signing_alg_values_supported":["RS256"]}')],
      [],
    );
    expect(JSON.parse(shown!.response!.body.text)).toEqual({
      access_token: '[redacted]',
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('cuts a long body after masking it, and says how long it was', () => {
    const secret = 'a-secret-that-straddles-the-cut';
    const body = `${'x'.repeat(maxShownBodyLength - 10)}${secret}${'y'.repeat(100)}`;
    const [shown] = maskExchanges([message(body)], [secret]);
    expect(shown!.response!.body.cutFrom).toBeGreaterThan(maxShownBodyLength);
    expect(shown!.response!.body.text.length).toBe(maxShownBodyLength + 1);
    expect(shown!.response!.body.text).not.toContain(secret.slice(0, 10));
  });
});
