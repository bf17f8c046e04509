import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type EmulatorRoutes,
  forwardRequest,
  loopbackUrlPattern,
  routedUrl,
} from '@idplug/emulators';
import { HttpResponse, http, passthrough } from 'msw';
import { setupServer } from 'msw/node';

/**
 * Compare mode's network rule, for the one playground process where both connectors run: a
 * request the official connector makes goes to the emulator its provider address maps to (or,
 * with no mapping, nowhere); every other request, the idplug connector's included, is left as it
 * is (in "real provider" mode ours may call the very hosts the official one has fixed).
 *
 * The official connector's calls run inside an AsyncLocalStorage scope, and msw calls its handler
 * in the async context of the request that triggered it, for `fetch` and for node:http (which
 * `got`, axios and the AWS SDK use) alike: official-forwarding.test.ts proves both, with an
 * unscoped request running at the same time.
 */

type OfficialScope = {
  routes: EmulatorRoutes;
  /** Addresses the official connector tried that have no emulator mapping: refused, never sent. */
  refused: string[];
};

export type OfficialRun<Result> = {
  outcome: { ok: true; value: Result } | { ok: false; error: unknown };
  /** Provider addresses (origin and path) the run tried that have no emulator mapping. */
  refused: string[];
};

export type OfficialForwarding = {
  /** Runs `call` with the official connector's requests forwarded by `routes`. */
  run<Result>(routes: EmulatorRoutes, call: () => Promise<Result>): Promise<OfficialRun<Result>>;
  stop(): void;
};

const addressOf = (url: string) => {
  const { origin, pathname } = new URL(url);
  return `${origin}${pathname}`;
};

export const startOfficialForwarding = (): OfficialForwarding => {
  const scopes = new AsyncLocalStorage<OfficialScope>();
  const server = setupServer(
    http.all('*', ({ request }) => {
      const scope = scopes.getStore();
      if (scope === undefined || loopbackUrlPattern.test(request.url)) {
        return passthrough();
      }
      const target = routedUrl(request.url, scope.routes);
      if (target === undefined) {
        scope.refused.push(addressOf(request.url));
        // A network error for the official connector: nothing leaves the machine.
        return HttpResponse.error();
      }
      return forwardRequest(request, target);
    }),
  );
  server.listen({ onUnhandledRequest: 'bypass' });
  return {
    run: async (routes, call) => {
      const scope: OfficialScope = { routes, refused: [] };
      const outcome = await scopes.run(scope, () =>
        call().then(
          (value) => ({ ok: true, value }) as const,
          (error: unknown) => ({ ok: false, error }) as const,
        ),
      );
      return { outcome, refused: scope.refused };
    },
    stop: () => server.close(),
  };
};
