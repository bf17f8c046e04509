import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import { createConnectorSession, describeFaultMatrix } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import createOidcConnector from './index';

const secret = 'fault-matrix-oidc-client-secret';
const refreshToken = 'fault-matrix-oidc-refresh-token';
const clientId = 'fault-matrix-client';
const timeoutMs = 1000;

/**
 * A well-behaved provider for the legs before the faulty one: its token endpoint answers with an
 * ID token signed for the nonce of the current sign-in, its JWKS publishes the key. The faulty
 * leg (userinfo, JWKS) points at the fault server.
 */
let healthy: Server;
let healthyUrl = '';
let nonce = '';
let jwks: { keys: unknown[] };
let signIdToken: () => Promise<string>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  signIdToken = () =>
    new SignJWT({ nonce, email: 'ada@example.com' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(healthyUrl)
      .setAudience(clientId)
      .setSubject('ada')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  healthy = createServer((request, response) => {
    request.resume();
    request.on('end', async () => {
      const body =
        request.url === '/jwks'
          ? jwks
          : request.url === '/userinfo'
            ? { sub: 'ada', name: 'Ada' }
            : {
                access_token: 'healthy-access-token',
                token_type: 'Bearer',
                expires_in: 3600,
                id_token: await signIdToken(),
              };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => healthy.listen(0, '127.0.0.1', resolve));
  healthyUrl = `http://127.0.0.1:${(healthy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  healthy.closeAllConnections();
  await new Promise<void>((resolve) => healthy.close(() => resolve()));
});

// Discovery documents and key sets are cached per process: every cell starts cold.
beforeEach(() => {
  clearDiscoveryCache();
  clearJwksCache();
});

const load = async (config: Record<string, unknown>) =>
  (await createOidcConnector({
    getConfig: async () => ({ clientId, clientSecret: secret, timeout: timeoutMs, ...config }),
  })) as SocialConnector;

const explicitEndpoints = (providerUrl: string) => ({
  authorizationEndpoint: `${providerUrl}/authorize`,
  tokenEndpoint: `${providerUrl}/token`,
  userInfoEndpoint: `${providerUrl}/userinfo`,
  idTokenVerificationConfig: { jwksUri: `${providerUrl}/jwks`, issuer: providerUrl },
});

const signIn = async (connector: SocialConnector) => {
  const session = createConnectorSession();
  await connector.getAuthorizationUri(
    {
      state: 'state',
      redirectUri: 'https://logto.example.com/callback/oidc',
      connectorId: 'oidc',
      connectorFactoryId: 'oidc',
      jti: 'jti',
      headers: {},
    },
    session.setSession,
  );
  nonce = String(session.current.nonce);
  return connector.getUserInfo({ code: 'code', state: 'state' }, session.getSession);
};

it('signs in against the healthy provider alone (the control for the faulty legs below)', async () => {
  const user = await signIn(await load(explicitEndpoints(healthyUrl)));
  expect(user).toMatchObject({ id: 'ada', name: 'Ada' });
});

describeFaultMatrix({
  connector: 'oidc',
  timeoutMs,
  secrets: [secret, refreshToken, 'healthy-access-token'],
  operations: [
    {
      // `issuer` only: the discovery document is the first request of a sign-in.
      name: 'discovery',
      run: async (providerUrl) => signIn(await load({ issuer: providerUrl })),
    },
    {
      name: 'sign-in',
      run: async (providerUrl) => signIn(await load(explicitEndpoints(providerUrl))),
    },
    {
      name: 'refresh',
      run: async (providerUrl) =>
        (await load(explicitEndpoints(providerUrl))).getAccessTokenByRefreshToken!(refreshToken),
    },
    {
      // A verified ID token, then the userinfo request meets the fault.
      name: 'userinfo',
      run: async (providerUrl) =>
        signIn(
          await load({
            ...explicitEndpoints(healthyUrl),
            userInfoEndpoint: `${providerUrl}/userinfo`,
          }),
        ),
    },
  ],
});

// The key set is fetched by jose's remote JWKS (not base's HTTP client), which reports neither
// the status nor the Retry-After; base deliberately maps a key set it cannot fetch or use to
// `general` (the provider's fault, not the token's: commit ce9c0bc).
describeFaultMatrix({
  connector: 'oidc',
  timeoutMs,
  secrets: [secret, 'healthy-access-token'],
  expectedCodes: {
    'rate-limited': 'general',
    'invalid-json': 'general',
    'json-array': 'general',
    'json-null': 'general',
    'oversized-body': 'general',
    'wrong-content-type': 'general',
  },
  operations: [
    {
      name: 'jwks',
      run: async (providerUrl) =>
        signIn(
          await load({
            ...explicitEndpoints(healthyUrl),
            idTokenVerificationConfig: { jwksUri: `${providerUrl}/jwks`, issuer: healthyUrl },
          }),
        ),
    },
  ],
});
