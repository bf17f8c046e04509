import type { RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * msw for provider APIs: handlers keyed by the provider's real URLs, and any request without a
 * handler is an error, so a test can never reach the real network. Every request is logged so a
 * test can count round trips.
 */

export type LoggedRequest = { method: string; url: string; host: string; pathname: string };

export type ProviderMock = {
  server: ReturnType<typeof setupServer>;
  /** Requests seen since the last reset (each test starts empty). */
  requests: LoggedRequest[];
  /** Adds handlers for the current test only. */
  use: (...handlers: RequestHandler[]) => void;
};

/** Starts an msw server for the current test file (vitest lifecycle hooks). */
export const useProviderMock = (...handlers: RequestHandler[]): ProviderMock => {
  const server = setupServer(...handlers);
  const requests: LoggedRequest[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    requests.push({
      method: request.method,
      url: request.url,
      host: url.host,
      pathname: url.pathname,
    });
  });
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    requests.length = 0;
  });
  afterAll(() => server.close());
  return { server, requests, use: (...extra) => server.use(...extra) };
};

/** Logto's connector session, kept in memory the way Logto keeps it per interaction. */
export const createConnectorSession = (initial: Record<string, unknown> = {}) => {
  let stored: Record<string, unknown> = { ...initial };
  return {
    setSession: async (value: Record<string, unknown>) => {
      stored = { ...value };
    },
    getSession: async () => ({ ...stored }),
    get current() {
      return stored;
    },
  };
};
