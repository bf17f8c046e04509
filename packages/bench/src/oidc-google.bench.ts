/**
 * OIDC and Google sign-in, side by side (issue 9): idplug's built connectors and the official
 * `@logto/connector-oidc` / `@logto/connector-google` from npm, on one warm process, against ONE
 * local HTTPS provider stub reached through a TCP proxy that adds 10 ms each way (a 20 ms round
 * trip, a provider in the same region). For each sign-in (authorization URL, then the callback:
 * code exchange, ID token verification, userinfo when the connector asks for it) it counts the
 * HTTP requests the provider saw and the new TCP connections, and times the wall clock.
 *
 * Google's URLs are fixed in both connectors, so every HTTPS connection of the process is routed
 * to the proxy: fetch (idplug, jose, the official OIDC connector's ky) through undici's global
 * dispatcher, got (the official Google connector) through https.globalAgent. Both keep
 * connections alive as Node does by default. TLS is real (a throwaway CA, hostname checked).
 *
 *   pnpm --filter @idplug/bench bench:oidc-google [--runs 30] [--warmup 3]
 *
 * A benchmark, not a test: numbers depend on the machine and its load.
 */
import { once } from 'node:events';
import https, { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { generateLoopbackTlsCertificate } from '@idplug/emulators';
import createOfficialGoogle from '@logto/connector-google';
import type { CreateConnector, SocialConnector } from '@logto/connector-kit';
import createOfficialOidc from '@logto/connector-oidc';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Agent, setGlobalDispatcher } from 'undici';
// The built packages, exactly as Logto loads them.
import createIdplugGoogle from '../../connector-google/lib/index.js';
import createIdplugOidc from '../../connector-oidc/lib/index.js';
import { startLatencyProxy } from './latency-proxy';
import { median, type ResultRow, writePartResults } from './results';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);

const oidcIssuer = 'https://op.bench.example';
const clientId = 'bench-client.apps.googleusercontent.com';
const clientSecret = 'bench-client-secret';
const redirectUri = 'https://logto.bench.example/callback/bench';

// The provider stub: Google's and a generic OP's endpoints, by Host header.
const certificate = await generateLoopbackTlsCertificate();
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = {
  keys: [{ ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' }],
};
let nonce: string | undefined;
let requests: string[] = [];

const profile = {
  sub: '110169484474386276334',
  email: 'ada@example.com',
  email_verified: true,
  name: 'Ada Lovelace',
  given_name: 'Ada',
  family_name: 'Lovelace',
  picture: 'https://lh3.googleusercontent.com/a/ada',
  locale: 'en',
};

const idToken = (issuer: string) =>
  new SignJWT({ ...profile, azp: clientId, ...(nonce && { nonce }) })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-1', typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(clientId)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

const provider = createHttpsServer(
  { cert: certificate.cert, key: certificate.key },
  (request, response) => {
    const host = request.headers.host ?? '';
    const path = new URL(request.url ?? '/', 'https://x').pathname;
    requests.push(`${request.method} ${host}${path}`);
    request.resume();
    request.on('end', async () => {
      const json = (body: unknown) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (path === '/token') {
        json({
          access_token: 'ya29.bench-access-token',
          token_type: 'Bearer',
          expires_in: 3599,
          scope:
            'openid https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/userinfo.email',
          id_token: await idToken(
            host.startsWith('oauth2.googleapis.com') ? 'https://accounts.google.com' : oidcIssuer,
          ),
        });
      } else if (path === '/oauth2/v3/certs' || path === '/jwks') {
        json(jwks);
      } else if (path === '/v1/userinfo' || path === '/userinfo') {
        json(profile);
      } else {
        response.writeHead(404).end();
      }
    });
  },
);
provider.listen(0, '127.0.0.1');
await once(provider, 'listening');
const proxy = await startLatencyProxy(
  { host: '127.0.0.1', port: (provider.address() as AddressInfo).port },
  Number(process.env.BENCH_ONE_WAY_DELAY_MS ?? 10),
);

// Every HTTPS connection goes to the proxy; the certificate is checked against `localhost`.
const connectThroughProxy = () =>
  tls.connect({
    host: proxy.host,
    port: proxy.port,
    servername: 'localhost',
    ca: certificate.ca,
    ALPNProtocols: ['http/1.1'],
  });
setGlobalDispatcher(
  new Agent({
    connect: (_options, callback) => {
      const socket = connectThroughProxy();
      socket.setNoDelay(true);
      socket.once('secureConnect', () => callback(null, socket));
      socket.once('error', (error) => callback(error, null));
    },
  }),
);
class ProxiedAgent extends https.Agent {
  override createConnection(): ReturnType<typeof tls.connect> {
    const socket = connectThroughProxy();
    socket.setNoDelay(true);
    return socket;
  }
}
// Node's own global agent keeps connections alive (Node >= 19); so does this one.
https.globalAgent = new ProxiedAgent({ keepAlive: true });

type Contender = {
  connector: 'OIDC' | 'Google';
  side: 'idplug' | 'official';
  create: CreateConnector<SocialConnector>;
  config: Record<string, unknown>;
  /** What Logto passes to getUserInfo after the redirect back. */
  callbackData: Record<string, unknown>;
};

const oidcConfig = {
  authorizationEndpoint: `${oidcIssuer}/authorize`,
  tokenEndpoint: `${oidcIssuer}/token`,
  clientId,
  clientSecret,
  scope: 'openid profile email',
  tokenEndpointAuthMethod: 'client_secret_post',
  idTokenVerificationConfig: { jwksUri: `${oidcIssuer}/jwks`, issuer: oidcIssuer },
};
const googleConfig = { clientId, clientSecret, scope: 'openid profile email' };

const contenders: Contender[] = [
  {
    connector: 'OIDC',
    side: 'idplug',
    create: createIdplugOidc,
    config: oidcConfig,
    callbackData: { code: 'bench-code', state: 'bench-state' },
  },
  {
    connector: 'OIDC',
    side: 'official',
    create: createOfficialOidc,
    config: oidcConfig,
    callbackData: { code: 'bench-code', state: 'bench-state' },
  },
  // The official Google connector reads `redirectUri` from the callback data (Logto adds it).
  {
    connector: 'Google',
    side: 'idplug',
    create: createIdplugGoogle,
    config: googleConfig,
    callbackData: { code: 'bench-code', state: 'bench-state', redirectUri },
  },
  {
    connector: 'Google',
    side: 'official',
    create: createOfficialGoogle,
    config: googleConfig,
    callbackData: { code: 'bench-code', state: 'bench-state', redirectUri },
  },
];

type Sample = { ms: number; requests: number; connections: number; requestLines: string[] };

const signIn = async (contender: Contender, connector: SocialConnector): Promise<Sample> => {
  let session: Record<string, unknown> = {};
  requests = [];
  proxy.resetCount();
  const started = performance.now();
  const url = await connector.getAuthorizationUri(
    {
      state: 'bench-state',
      redirectUri,
      connectorId: 'bench',
      connectorFactoryId: 'bench',
      jti: 'bench-jti',
      headers: {},
    },
    async (value) => {
      session = { ...value };
    },
  );
  // The provider would put this nonce in the ID token (the stub learns it from the URL).
  nonce = new URL(url).searchParams.get('nonce') ?? undefined;
  const user = await connector.getUserInfo(contender.callbackData, async () => session);
  const ms = performance.now() - started;
  if (user.id !== profile.sub) {
    throw new Error(`${contender.side} ${contender.connector} signed in as ${user.id}`);
  }
  return { ms, requests: requests.length, connections: proxy.connections, requestLines: requests };
};

// What the proxy adds, measured: one request on a warm keep-alive connection.
const roundTrips: number[] = [];
for (let index = 0; index < 6; index += 1) {
  const started = performance.now();
  await (await fetch(`${oidcIssuer}/jwks`)).arrayBuffer();
  roundTrips.push(performance.now() - started);
}
const warmRequestMs = median(roundTrips.slice(1));
console.log(`one warm HTTPS request through the proxy: ${warmRequestMs.toFixed(1)} ms (median)`);

const samples = new Map<Contender, Sample[]>();
const connectors = new Map<Contender, SocialConnector>();
for (const contender of contenders) {
  const connector = await contender.create({ getConfig: async () => contender.config });
  connectors.set(contender, connector);
  samples.set(contender, []);
  // Warm: modules loaded, JIT warm, connections open, caches (JWKS) filled where a connector has them.
  for (let index = 0; index < warmup; index += 1) {
    await signIn(contender, connector);
  }
}
// Alternate who goes first, so drift in the machine's load is shared.
for (let run = 0; run < runs; run += 1) {
  const order = run % 2 === 0 ? contenders : [...contenders].reverse();
  for (const contender of order) {
    samples
      .get(contender)
      ?.push(await signIn(contender, connectors.get(contender) as SocialConnector));
  }
}

await proxy.stop();
provider.closeAllConnections();
provider.close();

const rows: ResultRow[] = [];
const summary: Record<string, Record<string, string | number>> = {};
for (const name of ['OIDC', 'Google'] as const) {
  const [ours, theirs] = (['idplug', 'official'] as const).map((side) =>
    samples.get(contenders.find((c) => c.connector === name && c.side === side) as Contender),
  ) as [Sample[], Sample[]];
  const benchmark = `${name} sign-in, warm, 20 ms RTT`;
  const metrics = [
    { metric: 'wall time per sign-in', unit: 'ms', pick: (s: Sample) => s.ms },
    { metric: 'HTTP requests per sign-in', unit: 'requests', pick: (s: Sample) => s.requests },
    {
      metric: 'new connections per sign-in',
      unit: 'connections',
      pick: (s: Sample) => s.connections,
    },
  ];
  for (const { metric, unit, pick } of metrics) {
    const idplug = median(ours.map(pick));
    const official = median(theirs.map(pick));
    rows.push({
      benchmark,
      metric,
      unit,
      idplug,
      official,
      ...(unit === 'ms' && {
        note: `one warm request through the proxy: ${warmRequestMs.toFixed(1)} ms`,
      }),
    });
    summary[`${name}: ${metric}`] = {
      idplug: Number(idplug.toFixed(1)),
      official: Number(official.toFixed(1)),
      'ratio idplug/official': official === 0 ? '—' : Number((idplug / official).toFixed(2)),
    };
  }
  console.log(`${name} requests of one warm sign-in:`);
  console.log(`  idplug:   ${ours.at(-1)?.requestLines.join(', ')}`);
  console.log(`  official: ${theirs.at(-1)?.requestLines.join(', ')}`);
}
console.log(`\nmedians of ${runs} sign-ins per connector after ${warmup} warm-up sign-ins:`);
console.table(summary);

writePartResults({
  part: 'oidc-google',
  method: `median of ${runs} sign-ins per connector on one warm process (after ${warmup} warm-up sign-ins), alternating order; local HTTPS provider stub behind a TCP proxy adding 10 ms each way`,
  rows,
});
