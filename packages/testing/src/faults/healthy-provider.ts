import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/**
 * A well-behaved provider on loopback for the legs BEFORE the faulty one in a fault matrix: its
 * token endpoint (`/token`) answers with an access token and an ID token signed for the current
 * `nonce`, its JWKS (`/jwks`) publishes the key, its userinfo (`/userinfo`) answers `userinfo`.
 * Point the faulty leg (userinfo, JWKS) at the fault server and the rest here.
 */

export type HealthyProvider = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The nonce the next ID token carries (set it from the session after the authorization URL). */
  nonce: string | undefined;
  stop(): Promise<void>;
};

export type HealthyProviderOptions = {
  /** The ID token's `aud`. */
  clientId: string;
  /** The ID token's `iss`. @default the provider's URL */
  issuer?: string;
  /** ID token claims besides iss/aud/iat/exp/nonce. @default { sub: 'ada' } */
  claims?: JWTPayload;
  /** @default { sub: 'ada', name: 'Ada' } */
  userinfo?: Record<string, unknown>;
};

export const startHealthyProvider = async (
  options: HealthyProviderOptions,
): Promise<HealthyProvider> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = {
    keys: [{ ...(await exportJWK(publicKey)), kid: 'healthy-1', alg: 'RS256', use: 'sig' }],
  };
  let url = '';
  let nonce: string | undefined;
  const idToken = () =>
    new SignJWT({ sub: 'ada', ...options.claims, ...(nonce && { nonce }) })
      .setProtectedHeader({ alg: 'RS256', kid: 'healthy-1' })
      .setIssuer(options.issuer ?? url)
      .setAudience(options.clientId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', async () => {
      const path = new URL(request.url ?? '/', url).pathname;
      const body =
        path === '/jwks'
          ? jwks
          : path === '/userinfo'
            ? (options.userinfo ?? { sub: 'ada', name: 'Ada' })
            : {
                access_token: 'healthy-access-token',
                token_type: 'Bearer',
                expires_in: 3600,
                id_token: await idToken(),
              };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get nonce() {
      return nonce;
    },
    set nonce(value) {
      nonce = value;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
