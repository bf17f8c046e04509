import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';

/**
 * The emulator's own login and consent pages (instead of oidc-provider's devInteractions, which
 * warn on every start and render a password form the emulator has no use for).
 *
 * Protocol, shared with `oauth-browser.ts` and usable by a person in a real browser:
 * - `GET  /interaction/:uid` renders the current prompt; the `x-emulator-prompt` response header
 *   names it (`login` or `consent`).
 * - `POST /interaction/:uid/login` with `account_id=<sub>` signs that account in.
 * - `POST /interaction/:uid/confirm` grants everything the client asked for.
 * - `POST /interaction/:uid/abort` denies: the client gets `error=access_denied` (RFC 6749 §4.1.2.1).
 * The `_interaction` cookie oidc-provider sets is scoped to `/interaction/:uid`, so every route sits
 * under that path.
 */
export const interactionPathPattern = /^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/;

/** Header naming the prompt an interaction page shows; `oauth-browser.ts` reads it. */
export const promptHeader = 'x-emulator-prompt';

export type InteractionAction = 'render' | 'login' | 'confirm' | 'abort';

type InteractionContext = {
  provider: Provider;
  accounts: ReadonlyMap<string, Record<string, unknown>>;
};

export const handleInteraction = async (
  context: InteractionContext,
  action: InteractionAction,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> => {
  const { provider, accounts } = context;
  try {
    if (action !== 'render' && request.method !== 'POST') {
      return sendHtml(response, 405, 'Method not allowed', '<p>Submit the form with POST.</p>');
    }
    const interaction = await provider.interactionDetails(request, response);
    const { prompt, params, session, grantId } = interaction;
    const clientId = String(params.client_id);

    if (action === 'render') {
      response.setHeader(promptHeader, prompt.name);
      const page =
        prompt.name === 'login'
          ? renderLoginPage(interaction.uid, clientId, accounts)
          : renderConsentPage(interaction.uid, clientId, params, prompt.details);
      return sendHtml(response, 200, page.title, page.body);
    }

    if (action === 'abort') {
      return await provider.interactionFinished(
        request,
        response,
        { error: 'access_denied', error_description: 'End-User denied the authorization request' },
        { mergeWithLastSubmission: false },
      );
    }

    if (action === 'login') {
      const accountId = new URLSearchParams(await readBody(request)).get('account_id') ?? '';
      if (prompt.name !== 'login' || !accounts.has(accountId)) {
        const reason =
          prompt.name === 'login'
            ? `Unknown account "${accountId}". Known: ${[...accounts.keys()].join(', ')}.`
            : `This interaction asks for ${prompt.name}, not login.`;
        response.setHeader(promptHeader, prompt.name);
        return sendHtml(response, 400, 'Sign-in failed', `<p>${escapeHtml(reason)}</p>`);
      }
      return await provider.interactionFinished(
        request,
        response,
        { login: { accountId } },
        { mergeWithLastSubmission: false },
      );
    }

    // confirm: grant exactly what the consent prompt reports missing, the way a user clicking
    // "Allow" would (oidc-provider's devInteractions do the same).
    if (prompt.name !== 'consent' || session === undefined) {
      response.setHeader(promptHeader, prompt.name);
      return sendHtml(
        response,
        400,
        'Consent failed',
        '<p>This interaction does not ask for consent.</p>',
      );
    }
    const grant =
      (grantId === undefined ? undefined : await provider.Grant.find(grantId)) ??
      new provider.Grant({ accountId: session.accountId, clientId });
    const details = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (details.missingOIDCScope) {
      grant.addOIDCScope(details.missingOIDCScope.join(' '));
    }
    if (details.missingOIDCClaims) {
      grant.addOIDCClaims(details.missingOIDCClaims);
    }
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    await provider.interactionFinished(
      request,
      response,
      { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true },
    );
  } catch (error) {
    // Typically SessionNotFound: the interaction cookie is missing or the interaction expired.
    const status = statusOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const description = (error as { error_description?: unknown }).error_description;
    const text = typeof description === 'string' ? `${message}: ${description}` : message;
    if (!response.headersSent) {
      sendHtml(response, status, 'Interaction failed', `<p>${escapeHtml(text)}</p>`);
    }
  }
};

const statusOf = (error: unknown): number => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
};

/**
 * What sets an account apart from the usual one (the personas, personas.ts): an email the relying
 * party must not trust, or none at all.
 */
const accountNote = (claims: Record<string, unknown>): string | undefined => {
  if (claims.email === undefined) {
    return typeof claims.phone_number === 'string'
      ? `no email, phone ${claims.phone_number}`
      : 'no email released';
  }
  return claims.email_verified === false ? 'email not verified' : undefined;
};

const renderLoginPage = (
  uid: string,
  clientId: string,
  accounts: ReadonlyMap<string, Record<string, unknown>>,
) => {
  const buttons = [...accounts]
    .map(([sub, claims]) => {
      const label = [claims.name, claims.email ?? claims.username, accountNote(claims)]
        .filter(Boolean)
        .join(' · ');
      return `<button type="submit" name="account_id" value="${escapeHtml(sub)}">${escapeHtml(label || sub)} <small>(${escapeHtml(sub)})</small></button>`;
    })
    .join('\n');
  return {
    title: 'Sign in',
    body: `<p>Sign in to <strong>${escapeHtml(clientId)}</strong> as:</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login" data-prompt="login">${buttons}</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit" class="secondary">Cancel</button></form>`,
  };
};

const renderConsentPage = (
  uid: string,
  clientId: string,
  params: Record<string, unknown>,
  details: Record<string, unknown>,
) => {
  const scopes = typeof params.scope === 'string' ? params.scope.split(' ') : [];
  const missing = Array.isArray(details.missingOIDCScope) ? details.missingOIDCScope : scopes;
  const items = missing
    .map((scope) => `<li><code>${escapeHtml(String(scope))}</code></li>`)
    .join('');
  return {
    title: 'Authorize',
    body: `<p><strong>${escapeHtml(clientId)}</strong> asks for:</p><ul>${items}</ul>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm" data-prompt="consent"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit" class="secondary">Deny</button></form>`,
  };
};

export const sendHtml = (response: ServerResponse, status: number, title: string, body: string) => {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · OIDC emulator</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto}button{display:block;width:100%;margin:.4rem 0;padding:.6rem;font:inherit;cursor:pointer}button.secondary{background:none}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(html);
};

export const escapeHtml = (value: string): string => {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
};

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};
