import { createHash, randomBytes } from 'node:crypto';

/**
 * For the emulators' own tests: a browser's part of the authorization code flow (load the page,
 * press a button, stop at the redirect to the client) and a PKCE pair.
 */

export const pkcePair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/**
 * Loads the authorization page and presses one of its buttons ("Authorize", "Cancel", or "Sign in
 * as" an account by id); returns the callback URL.
 */
export const decideOnPage = async (
  authorizationUrl: URL,
  decision: 'allow' | 'deny' | { account: string },
): Promise<URL> => {
  const page = await fetch(authorizationUrl);
  if (page.status !== 200) {
    throw new Error(`the authorization page answered ${page.status}: ${await page.text()}`);
  }
  const html = await page.text();
  const id = /name="authorization" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!id || !action) {
    throw new Error('the authorization page has no decision form');
  }
  const answer = await fetch(new URL(action, authorizationUrl), {
    method: 'POST',
    body: new URLSearchParams({
      authorization: id,
      ...(typeof decision === 'string' ? { decision } : decision),
    }),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) {
    throw new Error(`the decision answered ${answer.status}, not a redirect`);
  }
  return new URL(location);
};
