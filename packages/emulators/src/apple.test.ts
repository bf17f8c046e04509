import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importPKCS8,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppleEmulator, type AppleEmulatorOptions, startAppleEmulator } from './apple';
import { applePersonaAccounts } from './personas';

const redirectUri = 'http://127.0.0.1:3001/callback/apple-universal';
let emulator: AppleEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const start = async (options: AppleEmulatorOptions = {}) => {
  emulator = await startAppleEmulator(options);
  return emulator;
};

const authorizationUrl = (apple: AppleEmulator, extra: Record<string, string> = {}) => {
  const url = new URL(apple.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: apple.connectorConfig.clientId ?? '',
    redirect_uri: redirectUri,
    response_type: 'code id_token',
    response_mode: 'form_post',
    scope: 'name email',
    state: 'state-1',
    nonce: 'nonce-1',
    ...extra,
  }).toString();
  return url;
};

const clientSecretOf = async (
  apple: AppleEmulator,
  claims: { iss?: string; sub?: string; aud?: string; lifetime?: number; kid?: string } = {},
) => {
  const now = Math.floor(Date.now() / 1000);
  const config = apple.connectorConfig;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: claims.kid ?? config.keyId ?? '' })
    .setIssuer(claims.iss ?? config.teamId ?? '')
    .setSubject(claims.sub ?? config.clientId ?? '')
    .setAudience(claims.aud ?? apple.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.lifetime ?? 3600))
    .sign(await importPKCS8(config.privateKey ?? '', 'ES256'));
};

const tokenRequest = async (apple: AppleEmulator, form: Record<string, string>) => {
  const response = await fetch(apple.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({ client_id: apple.connectorConfig.clientId ?? '', ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
};

describe('Apple emulator', () => {
  it('answers with a page that posts code, id_token, state and the first-sign-in user by itself', async () => {
    const apple = await start();
    const response = await fetch(authorizationUrl(apple));
    const page = await response.text();
    expect(page).toContain('Sign in with Apple ID');
    const { action, fields } = await apple.authorize(authorizationUrl(apple));
    expect(action).toBe(redirectUri);
    expect(fields.state).toBe('state-1');
    expect(JSON.parse(fields.user ?? '{}')).toEqual({
      name: { firstName: 'Zoë', lastName: 'Åkesson' },
      email: 'k7x9q2mz4p@privaterelay.appleid.com',
    });
    const { payload } = await jwtVerify(
      fields.id_token ?? '',
      createRemoteJWKSet(new URL(apple.jwksUri)),
      {
        issuer: apple.issuer,
        audience: apple.connectorConfig.clientId ?? '',
      },
    );
    expect(payload).toMatchObject({
      sub: apple.accounts[0]?.sub,
      nonce: 'nonce-1',
      email_verified: 'true',
      is_private_email: 'true',
    });

    // The second authorization of the same client carries no `user`, as Apple does.
    const again = await apple.authorize(authorizationUrl(apple));
    expect(again.fields.user).toBeUndefined();
    expect(again.fields.code).toBeTruthy();
  });

  it('auto-submits the form and posts user_cancelled_authorize on cancel', async () => {
    const apple = await start({ autoApprove: true });
    const page = await (await fetch(authorizationUrl(apple))).text();
    expect(page).toContain('document.forms[0].submit()');
    await apple.stop();
    const manual = await start();
    const cancelled = await manual.authorize(authorizationUrl(manual), { cancel: true });
    expect(cancelled.fields).toEqual({ error: 'user_cancelled_authorize', state: 'state-1' });
  });

  it('requires form_post when a scope is requested', async () => {
    const apple = await start();
    const response = await fetch(authorizationUrl(apple, { response_mode: 'query' }));
    expect(response.status).toBe(400);
  });

  it('exchanges a code and refreshes with a client secret signed by the registered key', async () => {
    const apple = await start();
    const { fields } = await apple.authorize(authorizationUrl(apple));
    const exchanged = await tokenRequest(apple, {
      grant_type: 'authorization_code',
      code: fields.code ?? '',
      redirect_uri: redirectUri,
      client_secret: await clientSecretOf(apple),
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(exchanged.body.refresh_token).toBeTruthy();
    const refreshed = await tokenRequest(apple, {
      grant_type: 'refresh_token',
      refresh_token: exchanged.body.refresh_token ?? '',
      client_secret: await clientSecretOf(apple),
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeUndefined();
    expect(refreshed.body.id_token).toBeTruthy();
    // A code is single-use.
    const replayed = await tokenRequest(apple, {
      grant_type: 'authorization_code',
      code: fields.code ?? '',
      redirect_uri: redirectUri,
      client_secret: await clientSecretOf(apple),
    });
    expect(replayed.body).toEqual({ error: 'invalid_grant' });
  });

  it('refuses every wrong client secret as invalid_client', async () => {
    const apple = await start();
    const other = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const config = apple.connectorConfig;
    const foreignKey = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: config.keyId ?? '' })
      .setIssuer(config.teamId ?? '')
      .setSubject(config.clientId ?? '')
      .setAudience(apple.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(other.privateKey);
    const wrongSecrets = [
      'not-a-jwt',
      foreignKey,
      await clientSecretOf(apple, { iss: 'OTHERTEAM1' }),
      await clientSecretOf(apple, { sub: 'com.example.app' }),
      await clientSecretOf(apple, { aud: 'https://appleid.apple.com/other' }),
      await clientSecretOf(apple, { kid: 'OTHERKEY01' }),
      await clientSecretOf(apple, { lifetime: 15_777_001 }),
      await clientSecretOf(apple, { lifetime: -120 }),
    ];
    for (const secret of wrongSecrets) {
      const answer = await tokenRequest(apple, {
        grant_type: 'refresh_token',
        refresh_token: 'any',
        client_secret: secret,
      });
      expect(answer).toEqual({ status: 400, body: { error: 'invalid_client' } });
    }
    expect(apple.clientSecrets).toHaveLength(wrongSecrets.length);
  });

  it('accepts clients registered with their own public key', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const apple = await start({
      clients: [
        {
          clientId: 'com.example.web',
          teamId: 'TEAM123456',
          keyId: 'KEY1234567',
          publicKey: await exportJWK(pair.publicKey),
        },
      ],
      accounts: [{ sub: '000111.abc.2222', booleansAs: 'boolean' }],
      autoApprove: true,
    });
    expect(apple.connectorConfig).toEqual({ clientId: 'com.example.web', scope: 'name email' });
    const { fields } = await apple.authorize(
      authorizationUrl(apple, { scope: '', response_mode: 'query' }),
    );
    expect(fields.user).toBeUndefined();
    expect(fields.id_token).toBeTruthy();
  });
});

describe('Apple emulator personas', () => {
  it('signs the private-email persona in with a relay address, and labels the personas', async () => {
    const apple = await start({ accounts: applePersonaAccounts() });
    // Every Apple ID has a verified address: no unverified or no-email persona.
    expect(apple.accounts.map((account) => account.firstName)).toEqual(['Ada', 'Jing', 'José']);
    const page = await (await fetch(authorizationUrl(apple))).text();
    expect(page).toContain('Sign in as Chen Jing — private email');
    const chen = apple.accounts.find((account) => account.firstName === 'Jing')!;
    const { fields } = await apple.authorize(authorizationUrl(apple), { account: chen.sub });
    const { payload } = await jwtVerify(
      fields.id_token ?? '',
      createRemoteJWKSet(new URL(apple.jwksUri)),
    );
    expect(payload).toMatchObject({
      sub: chen.sub,
      email: 'chen-relay@privaterelay.appleid.com',
      is_private_email: 'true',
    });
  });
});
