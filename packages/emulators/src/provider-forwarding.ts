import { bypass, HttpResponse, http, passthrough, type RequestHandler } from 'msw';

/**
 * Official `@logto/connector-*` packages call their provider at fixed addresses
 * (`https://api.github.com/`, `https://api.sendgrid.com/`). To run one against an emulator, msw
 * forwards those requests to the loopback emulator serving the same API: the differential tests
 * and the playground's compare mode both do, so both get their answers from the same emulator state
 * as the idplug connector configured to call the emulator directly.
 */

/**
 * A provider's real URL prefixes (`https://api.github.com/`) and the loopback emulator's prefix
 * serving the same API (`http://127.0.0.1:<port>/api/v3/`).
 */
export type EmulatorRoutes = Record<string, string>;

/** The routed URL, or `undefined` when no prefix of `routes` matches it. */
export const routedUrl = (url: string, routes: EmulatorRoutes): string | undefined => {
  const prefix = Object.keys(routes).find((from) => url.startsWith(from));
  return prefix === undefined ? undefined : `${routes[prefix]}${url.slice(prefix.length)}`;
};

/** The URL on the emulator, or the URL itself when no route matches it. */
export const routeToEmulator = (url: string, routes: EmulatorRoutes): string =>
  routedUrl(url, routes) ?? url;

/** The loopback address every emulator listens on: such requests are never forwarded. */
export const loopbackUrlPattern = /^http:\/\/127\.0\.0\.1:\d+\//;

// Hop-by-hop and length headers belong to the original connection; fetch sets its own.
const unforwardedHeaders = ['host', 'connection', 'content-length', 'transfer-encoding'];

/** Sends an intercepted request to `target` (bypassing msw) and answers with what it got. */
export const forwardRequest = async (request: Request, target: string): Promise<Response> => {
  const headers = new Headers(request.headers);
  for (const name of unforwardedHeaders) {
    headers.delete(name);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const answer = await fetch(
    bypass(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : null,
      redirect: 'manual',
    }),
  );
  return new HttpResponse(await answer.arrayBuffer(), {
    status: answer.status,
    headers: answer.headers,
  });
};

/**
 * msw handlers (for `ProviderMock.use`) that forward each routed provider request to the emulator,
 * bypassing msw, and let every loopback request (the emulator itself) through.
 */
export const forwardToEmulator = (routes: EmulatorRoutes): RequestHandler[] => [
  http.all(loopbackUrlPattern, () => passthrough()),
  ...Object.keys(routes).map((prefix) =>
    http.all(`${prefix}*`, ({ request }) =>
      forwardRequest(request, routeToEmulator(request.url, routes)),
    ),
  ),
];
