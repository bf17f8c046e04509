import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { fuzzTokens, type ProviderAnswer } from './fuzz-arbitraries';

/**
 * The fuzzed provider: msw at the provider's real URLs, answering each request with the current
 * run's arbitrary answer, counting the requests of each test, and noting which issued tokens the
 * connector sent back (those it has met, and must then keep out of its errors).
 */

/** An answer, or one computed when the request comes (an ID token signed for the run's nonce). */
export type FuzzAnswer = ProviderAnswer | (() => Promise<ProviderAnswer>);

const answerWith = ({ status, contentType, body, headers }: ProviderAnswer) =>
  new HttpResponse(status === 204 || status === 304 ? null : body, {
    // Redirects without a Location are just odd statuses to fetch; with `manual` they do not follow.
    status,
    headers: { ...headers, ...(contentType && { 'content-type': contentType }) },
  });

const issuedTokens: readonly string[] = Object.values(fuzzTokens);

/** What a request carries that a connector can only have got from the provider: headers, body. */
const requestText = async (request: Request) => {
  const headers = [...request.headers.entries()].map(([name, value]) => `${name}: ${value}`);
  const body = request.body ? await request.clone().text() : '';
  return `${headers.join('\n')}\n${decodeURIComponent(body.replace(/\+/g, ' '))}`;
};

/**
 * msw for a fuzz file: every request to a listed URL gets the current run's arbitrary answer,
 * every other request a network error (never the real network, and no unhandled-request noise).
 */
export const useFuzzedProvider = (urls: readonly string[]) => {
  const answers = new Map<string, FuzzAnswer>();
  const tokensMet = new Set<string>();
  let hits = 0;
  const server = setupServer(
    ...urls.map((url) =>
      http.all(url, async ({ request }) => {
        hits += 1;
        const sent = await requestText(request);
        for (const token of issuedTokens) {
          if (sent.includes(token)) {
            tokensMet.add(token);
          }
        }
        const answer = answers.get(url);
        if (!answer) {
          return HttpResponse.error();
        }
        return answerWith(typeof answer === 'function' ? await answer() : answer);
      }),
    ),
    http.all('*', () => HttpResponse.error()),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  // Each test counts its own requests: an earlier test's requests prove nothing about this one.
  beforeEach(() => {
    hits = 0;
  });
  afterAll(() => server.close());
  return {
    server,
    /** Requests the listed URLs received in the current test (a test that never reaches them tests nothing). */
    get hits() {
      return hits;
    },
    /** The issued tokens (`fuzzTokens`) the connector sent back during the current run. */
    get tokensMet(): string[] {
      return [...tokensMet];
    },
    /** The answers of the current run, by URL; unset URLs fail at the network. Starts a run. */
    answer(next: Record<string, FuzzAnswer>) {
      answers.clear();
      tokensMet.clear();
      for (const [url, answer] of Object.entries(next)) {
        answers.set(url, answer);
      }
    },
  };
};
