import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AzureAdEmulator,
  azureAdConsumersTenantId,
  defaultAzureAdEmulatorClient,
  startAzureAdEmulator,
} from './azuread';
import { authorizeWithBrowser } from './oidc-provider';

const contoso = 'aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb';
const client = defaultAzureAdEmulatorClient;
const redirectUri = client.redirectUris[0]!;
let emulator: AzureAdEmulator;

beforeAll(async () => {
  emulator = await startAzureAdEmulator();
});
afterAll(() => emulator.stop());

/** The v2.0 authorization code flow by hand: authorize in a browser, redeem, return the tokens. */
const signIn = async (tenantSegment: string, accountId: string) => {
  const verifier = randomBytes(32).toString('base64url');
  const nonce = randomBytes(8).toString('hex');
  const authorize = new URL(`${emulator.url}/${tenantSegment}/oauth2/v2.0/authorize`);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'User.Read openid profile offline_access',
    state: 'state-1',
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const callback = await authorizeWithBrowser(authorize, { accountId });
  expect(callback.error, callback.errorDescription).toBeUndefined();
  const response = await fetch(`${emulator.url}/${tenantSegment}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: callback.code ?? '',
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as Record<string, string>;
  return { tokens, nonce };
};

const verify = async (idToken: string, tenantSegment: string) =>
  (
    await jwtVerify(
      idToken,
      createRemoteJWKSet(new URL(`${emulator.url}/${tenantSegment}/discovery/v2.0/keys`)),
      { audience: client.clientId },
    )
  ).payload;

describe('Entra ID emulator', () => {
  it("serves each tenant's discovery document at /{tenant}/v2.0 with the tenant's issuer", async () => {
    const document = (await (
      await fetch(`${emulator.url}/${contoso}/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(document.issuer).toBe(`${emulator.url}/${contoso}/v2.0`);
    const byDomain = (await (
      await fetch(`${emulator.url}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(byDomain.issuer).toBe(`${emulator.url}/${contoso}/v2.0`);
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const response = await fetch(
      `${emulator.url}/nobody.example/v2.0/.well-known/openid-configuration`,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });

  it("issues Entra-shaped ID tokens (tid, oid, ver, nonce) under the tenant's issuer, and Graph /me for the access token", async () => {
    const { tokens, nonce } = await signIn(contoso, 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ');
    const claims = await verify(tokens.id_token ?? '', contoso);
    expect(claims).toMatchObject({
      iss: `${emulator.url}/${contoso}/v2.0`,
      tid: contoso,
      oid: '48d31887-5fad-4d73-a9f5-3c356e68a038',
      ver: '2.0',
      nonce,
      preferred_username: 'MeganB@contoso.onmicrosoft.com',
      xms_edov: true,
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const me = await fetch(`${emulator.url}/v1.0/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await me.json()).toMatchObject({
      id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
      mail: 'MeganB@contoso.onmicrosoft.com',
      displayName: 'Megan Bowen',
    });
  });

  it("signs personal accounts in through consumers with the consumers tenant's issuer and Graph id", async () => {
    const { tokens } = await signIn('consumers', 'AAAAAAAAAAAAAAAAAAAAAPersonalAccountSubject');
    const claims = await verify(tokens.id_token ?? '', 'consumers');
    expect(claims.iss).toBe(`${emulator.url}/${azureAdConsumersTenantId}/v2.0`);
    expect(claims.tid).toBe(azureAdConsumersTenantId);
    const me = await fetch(`${emulator.url}/v1.0/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await me.json()).toMatchObject({ id: '4d7e3b1c2a9f8e60', mail: null });
  });

  it('answers Graph /me without a valid token with 401 and Graph’s error body', async () => {
    const me = await fetch(`${emulator.url}/v1.0/me`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(me.status).toBe(401);
    expect(await me.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    expect(emulator.serverErrors).toEqual([]);
  });
});
