import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OfficialPendingSignIn } from './compare/compare-sign-in';
import type { PendingSignIn } from './connector-runs';
import type { FieldErrors, FormValues } from './form';
import type { ActionResult, EmailFormValues } from './pages';
import type { RunDetails } from './run-panels';
import type { SmsFormValues } from './sms-test';

/**
 * Per-browser state kept in memory under a cookie, the way Logto keeps a sign-in's connector
 * session server-side: per connector, the form values, the pending sign-in and the last result.
 */

export type ConnectorState = {
  values?: FormValues;
  errors?: FieldErrors;
  email?: EmailFormValues;
  sms?: SmsFormValues;
  result?: ActionResult;
  pending?: PendingSignIn;
  /** Compare mode: the official package's sign-in, after ours, waiting for its callback. */
  officialPending?: OfficialPendingSignIn;
  /** The last run's requests, validated config and refresh (run-panels.ts). */
  run?: RunDetails;
};

export type BrowserSessions = {
  /** The state of `slug` in the browser that sent `request`; a new browser gets a cookie. */
  stateOf: (request: IncomingMessage, response: ServerResponse, slug: string) => ConnectorState;
};

const readCookies = (request: IncomingMessage) =>
  new Map(
    (request.headers.cookie ?? '').split(';').map((pair) => {
      const [name = '', ...value] = pair.trim().split('=');
      return [name, value.join('=')] as const;
    }),
  );

/** `cookieName` carries the port: browsers share cookies across the ports of one host. */
export const createBrowserSessions = (cookieName: string): BrowserSessions => {
  const sessions = new Map<string, Map<string, ConnectorState>>();

  const sessionOf = (request: IncomingMessage, response: ServerResponse) => {
    const existing = readCookies(request).get(cookieName);
    const known = existing === undefined ? undefined : sessions.get(existing);
    if (known) {
      return known;
    }
    const id = randomBytes(24).toString('base64url');
    const session = new Map<string, ConnectorState>();
    sessions.set(id, session);
    // Lax: the callback is a top-level navigation back from the provider, and carries it.
    response.setHeader('set-cookie', `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`);
    return session;
  };

  return {
    stateOf: (request, response, slug) => {
      const session = sessionOf(request, response);
      let state = session.get(slug);
      if (state === undefined) {
        state = {};
        session.set(slug, state);
      }
      return state;
    },
  };
};
