import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type EntraClientCredentialsEmulator,
  startEntraClientCredentialsEmulator,
} from './entra-client-credentials';
import { type AppCertificate, generateAppCertificate } from './tls-certificate';

const scope = 'https://outlook.office365.com/.default';
let registered: AppCertificate;
let unregistered: AppCertificate;
let emulator: EntraClientCredentialsEmulator | undefined;

beforeAll(async () => {
  [registered, unregistered] = await Promise.all([
    generateAppCertificate(),
    generateAppCertificate(),
  ]);
});
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const start = async () => {
  emulator = await startEntraClientCredentialsEmulator({
    apps: [{ clientId: 'app', secrets: ['app-secret'], certificates: [registered.certificate] }],
    ttlSeconds: 60,
  });
  return emulator;
};

const requestToken = async (
  entra: EntraClientCredentialsEmulator,
  form: Record<string, string>,
) => {
  const response = await fetch(entra.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** An assertion signed by `signer`'s key, naming `named`'s certificate by its SHA-256 thumbprint. */
const assertion = async (
  entra: EntraClientCredentialsEmulator,
  signer: AppCertificate,
  named: AppCertificate,
  jti: string = randomUUID(),
) => {
  const thumbprint = createHash('sha256')
    .update(new X509Certificate(named.certificate).raw)
    .digest('base64url');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': thumbprint })
    .setIssuer('app')
    .setSubject('app')
    .setAudience(entra.tokenEndpoint)
    .setJti(jti)
    .setNotBefore('0s')
    .setExpirationTime('5m')
    .sign(await importPKCS8(signer.privateKey, 'PS256'));
};

const assertionForm = (clientAssertion: string) => ({
  client_id: 'app',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: clientAssertion,
});

describe('Entra ID client credentials emulator', () => {
  it('issues a token for a client secret and for a certificate credential, verifiable while it lives', async () => {
    const entra = await start();
    const bySecret = await requestToken(entra, { client_id: 'app', client_secret: 'app-secret' });
    const byCertificate = await requestToken(
      entra,
      assertionForm(await assertion(entra, registered, registered)),
    );
    for (const { status, body } of [bySecret, byCertificate]) {
      expect(status).toBe(200);
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
      expect(entra.verifyAccessToken(String(body.access_token))).toEqual({
        clientId: 'app',
        scope,
      });
    }
    expect(entra.verifyAccessToken('made-up')).toBeUndefined();
    expect(entra.requests.map((request) => request.credential)).toEqual(['secret', 'certificate']);
  });

  it('refuses a wrong secret, an unregistered certificate, a signature by another key and a replayed jti', async () => {
    const entra = await start();
    expect(
      (await requestToken(entra, { client_id: 'app', client_secret: 'wrong' })).body,
    ).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(
      (await requestToken(entra, assertionForm(await assertion(entra, unregistered, unregistered))))
        .body.error_description,
    ).toMatch(/^AADSTS700027: The certificate with the thumbprint/);
    expect(
      (await requestToken(entra, assertionForm(await assertion(entra, unregistered, registered))))
        .body.error_description,
    ).toMatch(/^AADSTS700027: Client assertion failed validation/);
    const replayed = await assertion(entra, registered, registered, 'same-jti');
    expect((await requestToken(entra, assertionForm(replayed))).status).toBe(200);
    expect((await requestToken(entra, assertionForm(replayed))).body.error_description).toMatch(
      /used before/,
    );
  });
});
