import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { type GoogleEmulator, type GoogleEmulatorOptions, startGoogleEmulator } from './google-api';

const redirectUri = 'http://127.0.0.1:3001/callback/google-universal';
let emulator: GoogleEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const start = async (options: GoogleEmulatorOptions = {}) => {
  emulator = await startGoogleEmulator(options);
  return emulator;
};

const client = (google: GoogleEmulator) => google.clients[0]!;

const authorizationUrl = (google: GoogleEmulator, extra: Record<string, string> = {}) => {
  const url = new URL(google.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: client(google).clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email',
    state: 'state-123',
    nonce: 'nonce-456',
    ...extra,
  }).toString();
  return url;
};

/** Loads the account chooser and picks an account (or '' to cancel); returns the callback URL. */
const choose = async (google: GoogleEmulator, url: URL, account: string) => {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const id = /name="request" value="([^"]+)"/.exec(await page.text())?.[1];
  const answer = await fetch(google.authorizationEndpoint, {
    method: 'POST',
    body: new URLSearchParams({ request: id!, account }),
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!);
};

const exchange = (google: GoogleEmulator, params: Record<string, string>) =>
  fetch(google.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client(google).clientId,
      client_secret: client(google).clientSecret,
      redirect_uri: redirectUri,
      ...params,
    }),
  });

describe('Google emulator', () => {
  it('issues an RS256 ID token its JWKS verifies, with nonce, at_hash and the account claims', async () => {
    const google = await start();
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const alice = google.accounts[0]!;
    const callback = await choose(
      google,
      authorizationUrl(google, { code_challenge: challenge, code_challenge_method: 'S256' }),
      alice.sub,
    );
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('iss')).toBe(google.issuer);

    const response = await exchange(google, {
      code: callback.searchParams.get('code')!,
      code_verifier: verifier,
    });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Record<string, string>;
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toContain('https://www.googleapis.com/auth/userinfo.email');
    expect(tokens.refresh_token).toBeUndefined();

    const { payload, protectedHeader } = await jwtVerify(
      tokens.id_token!,
      createRemoteJWKSet(new URL(google.jwksUri)),
      { issuer: google.issuer, audience: client(google).clientId },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: alice.sub,
      email: alice.email,
      email_verified: true,
      name: alice.name,
      nonce: 'nonce-456',
      azp: client(google).clientId,
    });
    const expectedAtHash = createHash('sha256')
      .update(tokens.access_token!)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    expect(payload.at_hash).toBe(expectedAtHash);

    const userinfo = await fetch(google.userinfoEndpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await userinfo.json()).toMatchObject({ sub: alice.sub, email: alice.email });
  });

  it('issues a refresh token for access_type=offline, and refreshes with it', async () => {
    const google = await start({ autoApprove: true });
    const redirect = await fetch(
      authorizationUrl(google, { access_type: 'offline', prompt: 'consent' }),
      {
        redirect: 'manual',
      },
    );
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const tokens = (await (await exchange(google, { code })).json()) as Record<string, string>;
    expect(tokens.refresh_token).toMatch(/^1\/\/0/);

    const refreshed = await fetch(google.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client(google).clientId}:${client(google).clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      }),
    });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toHaveProperty('access_token');
  });

  it('redirects back with access_denied when the chooser is cancelled', async () => {
    const google = await start();
    const callback = await choose(google, authorizationUrl(google), '');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('state-123');
  });

  it('answers invalid_grant for a reused code or a wrong verifier, and invalid_client for a wrong secret', async () => {
    const google = await start({ autoApprove: true });
    const codeOf = async (extra: Record<string, string> = {}) => {
      const redirect = await fetch(authorizationUrl(google, extra), { redirect: 'manual' });
      return new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    };
    const code = await codeOf();
    expect((await exchange(google, { code })).status).toBe(200);
    const reused = await exchange(google, { code });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });

    const pkceCode = await codeOf({
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    });
    expect(
      await (await exchange(google, { code: pkceCode, code_verifier: 'y'.repeat(43) })).json(),
    ).toMatchObject({
      error: 'invalid_grant',
    });

    const wrongSecret = await exchange(google, { code: await codeOf(), client_secret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('leaves profile claims to userinfo with profileClaimsInUserinfoOnly, and refuses unknown tokens there', async () => {
    const google = await start({ autoApprove: true, profileClaimsInUserinfoOnly: true });
    const redirect = await fetch(authorizationUrl(google), { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const tokens = (await (await exchange(google, { code })).json()) as Record<string, string>;
    const [, payload = ''] = tokens.id_token!.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(claims.email).toBe(google.accounts[0]!.email);
    expect(claims.name).toBeUndefined();

    const unknown = await fetch(google.userinfoEndpoint, {
      headers: { authorization: 'Bearer ya29.nope' },
    });
    expect(unknown.status).toBe(401);
  });

  it('shows an error page for an unknown client or an unregistered redirect URI', async () => {
    const google = await start({
      clients: [{ clientId: 'registered', clientSecret: 'secret', redirectUris: [redirectUri] }],
    });
    expect((await fetch(authorizationUrl(google, { client_id: 'unknown' }))).status).toBe(401);
    const mismatch = await fetch(
      authorizationUrl(google, {
        client_id: 'registered',
        redirect_uri: 'http://127.0.0.1:9/other',
      }),
    );
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('redirect_uri_mismatch');
  });

  it('publishes a discovery document naming its own endpoints', async () => {
    const google = await start();
    const document = (await (await fetch(google.discoveryUrl)).json()) as Record<string, string>;
    expect(document).toMatchObject({
      issuer: google.issuer,
      jwks_uri: google.jwksUri,
      token_endpoint: google.tokenEndpoint,
    });
  });
});
