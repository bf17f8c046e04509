import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type GithubEmulator, type GithubEmulatorOptions, startGithubEmulator } from './github-api';

const redirectUri = 'http://127.0.0.1:3001/callback/github';
let emulator: GithubEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const start = async (options: GithubEmulatorOptions = {}) => {
  emulator = await startGithubEmulator(options);
  return emulator;
};

const pkcePair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

const authorizationUrl = (github: GithubEmulator, extra: Record<string, string> = {}) => {
  const url = new URL(github.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: github.app.clientId,
    redirect_uri: redirectUri,
    scope: 'read:user user:email',
    state: 'state-123',
    ...extra,
  }).toString();
  return url;
};

/** Loads the authorization page and presses one of its buttons; returns the callback URL. */
const decide = async (github: GithubEmulator, url: URL, decision: 'allow' | 'deny') => {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const id = /name="authorization" value="([^"]+)"/.exec(html)?.[1];
  expect(id).toBeDefined();
  const answer = await fetch(`${github.baseUrl}/login/oauth/authorize`, {
    method: 'POST',
    body: new URLSearchParams({ authorization: id!, decision }),
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!);
};

const exchange = (
  github: GithubEmulator,
  params: Record<string, string>,
  accept = 'application/json',
) =>
  fetch(github.tokenEndpoint, {
    method: 'POST',
    headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: github.app.clientId,
      client_secret: github.app.clientSecret,
      redirect_uri: redirectUri,
      ...params,
    }),
  });

describe('GitHub emulator', () => {
  it('runs the authorization code flow with PKCE through the authorization page to the REST API', async () => {
    const github = await start();
    const { verifier, challenge } = pkcePair();
    const callback = await decide(
      github,
      authorizationUrl(github, { code_challenge: challenge, code_challenge_method: 'S256' }),
      'allow',
    );
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('iss')).toBe(`${github.baseUrl}/login/oauth`);
    const code = callback.searchParams.get('code')!;

    const tokenResponse = await exchange(github, { code, code_verifier: verifier });
    const tokens = (await tokenResponse.json()) as Record<string, string>;
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'read:user,user:email' });
    expect(tokens.access_token).toMatch(/^gho_/);

    const headers = { authorization: `Bearer ${tokens.access_token}` };
    const user = await fetch(github.userEndpoint, { headers });
    expect(await user.json()).toEqual(github.user);
    expect(user.headers.get('x-oauth-scopes')).toBe('read:user, user:email');
    const emails = await fetch(github.emailsEndpoint, { headers });
    expect(await emails.json()).toContainEqual(
      expect.objectContaining({ primary: true, verified: true }),
    );
  });

  it('redirects back with access_denied, the state and the issuer when the user cancels', async () => {
    const github = await start();
    const callback = await decide(github, authorizationUrl(github), 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('iss')).toBe(github.issuer);
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('redirects at once with autoApprove, and answers the code exchange form-encoded without Accept: json', async () => {
    const github = await start({ autoApprove: true });
    const response = await fetch(authorizationUrl(github), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
    const tokenResponse = await exchange(github, { code }, '*/*');
    expect(tokenResponse.headers.get('content-type')).toContain(
      'application/x-www-form-urlencoded',
    );
    const body = new URLSearchParams(await tokenResponse.text());
    expect(body.get('access_token')).toMatch(/^gho_/);
  });

  it('refuses a code twice, a wrong verifier and wrong client credentials with GitHub error bodies', async () => {
    const github = await start({ autoApprove: true });
    const codeOf = async (extra: Record<string, string> = {}) => {
      const response = await fetch(authorizationUrl(github, extra), { redirect: 'manual' });
      return new URL(response.headers.get('location')!).searchParams.get('code')!;
    };
    const { challenge } = pkcePair();
    const withPkce = await codeOf({ code_challenge: challenge, code_challenge_method: 'S256' });
    const wrongVerifier = await exchange(github, { code: withPkce, code_verifier: 'not-it' });
    expect(wrongVerifier.status).toBe(200);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'bad_verification_code' });

    const code = await codeOf();
    expect(await (await exchange(github, { code })).json()).toHaveProperty('access_token');
    expect(await (await exchange(github, { code })).json()).toMatchObject({
      error: 'bad_verification_code',
    });

    const wrongSecret = await exchange(github, { code: await codeOf(), client_secret: 'nope' });
    expect(await wrongSecret.json()).toMatchObject({ error: 'incorrect_client_credentials' });
  });

  it('answers the API with 401 Bad credentials for an unknown token, and hides emails without user:email', async () => {
    const github = await start({ autoApprove: true });
    const unknown = await fetch(github.userEndpoint, {
      headers: { authorization: 'Bearer gho_unknown' },
    });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ message: 'Bad credentials' });

    const response = await fetch(authorizationUrl(github, { scope: 'read:user' }), {
      redirect: 'manual',
    });
    const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
    const { access_token: accessToken } = (await (await exchange(github, { code })).json()) as {
      access_token: string;
    };
    const emails = await fetch(github.emailsEndpoint, {
      headers: { authorization: `token ${accessToken}` },
    });
    expect(emails.status).toBe(404);
  });

  it('shows an error page for an unknown client_id or a redirect_uri off the registered callback', async () => {
    const github = await start({ callbackUrls: ['http://127.0.0.1/callback'] });
    const unknownClient = await fetch(authorizationUrl(github, { client_id: 'someone-else' }));
    expect(unknownClient.status).toBe(404);
    const offCallback = await fetch(
      authorizationUrl(github, { redirect_uri: 'http://127.0.0.1:4000/elsewhere' }),
    );
    expect(offCallback.status).toBe(400);
    expect(await offCallback.text()).toContain('not associated with this application');
    // Below the registered path, on any loopback port: accepted (GitHub's rule).
    const below = await fetch(
      authorizationUrl(github, { redirect_uri: 'http://127.0.0.1:4000/callback/github' }),
    );
    expect(below.status).toBe(200);
  });
});
