/**
 * The authorization endpoint of the OAuth emulators (RFC 6749 §4.1.1-4.1.2): checks the client
 * and the redirect URI (any loopback URL counts as registered), shows a page whose buttons a
 * browser, the playground or a test can press (or approves at once with `autoApprove`), and
 * redirects back with a code or an error (`access_denied`, RFC 6749 §4.1.2.1).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, readBody, safeEqual, sendHtml } from './emulator-http';
import type { OAuthEmulatorDefinition, OAuthEmulatorGrant } from './oauth-app-emulator';

const LoopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

const loopbackRedirectUri = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && LoopbackHosts.has(url.hostname)
    );
  } catch {
    return false;
  }
};

type PageDefinition = Pick<
  OAuthEmulatorDefinition,
  'name' | 'app' | 'accountLabel' | 'authorizePath' | 'autoApprove' | 'otherAccounts'
>;

/** `issueCode` stores an approved grant and returns its code. */
export const createAuthorizationEndpoint = (
  definition: PageDefinition,
  issueCode: (grant: OAuthEmulatorGrant) => string,
) => {
  const { app } = definition;
  const pending = new Map<string, OAuthEmulatorGrant>();

  const redirectBack = (
    response: ServerResponse,
    grant: OAuthEmulatorGrant,
    params: Record<string, string>,
  ) => {
    const target = new URL(grant.redirectUri);
    for (const [key, value] of Object.entries(params)) {
      target.searchParams.set(key, value);
    }
    if (grant.state !== undefined) {
      target.searchParams.set('state', grant.state);
    }
    response.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
    response.end();
  };

  const approve = (response: ServerResponse, grant: OAuthEmulatorGrant) =>
    redirectBack(response, grant, { code: issueCode(grant) });

  const show = (response: ServerResponse, url: URL) => {
    const parameters = Object.fromEntries(url.searchParams);
    if (!safeEqual(parameters.client_id ?? '', app.clientId)) {
      return sendHtml(
        response,
        definition.name,
        400,
        'Unknown application',
        '<p>No application has this <code>client_id</code>.</p>',
      );
    }
    const redirectUri = parameters.redirect_uri ?? '';
    if (!loopbackRedirectUri(redirectUri)) {
      return sendHtml(
        response,
        definition.name,
        400,
        'Invalid redirect URI',
        `<p>The <code>redirect_uri</code> ${escapeHtml(redirectUri)} is not registered for this application.</p>`,
      );
    }
    const grant: OAuthEmulatorGrant = {
      redirectUri,
      state: parameters.state,
      scopes: (parameters.scope ?? '').split(/[\s,]+/).filter(Boolean),
      codeChallenge: parameters.code_challenge,
      parameters,
    };
    if (parameters.response_type !== 'code') {
      return redirectBack(response, grant, {
        error: 'unsupported_response_type',
        error_description: 'response_type must be code',
      });
    }
    if (grant.codeChallenge !== undefined && parameters.code_challenge_method !== 'S256') {
      return redirectBack(response, grant, {
        error: 'invalid_request',
        error_description: 'code_challenge_method must be S256',
      });
    }
    if (definition.autoApprove) {
      return approve(response, grant);
    }
    const id = randomBytes(12).toString('hex');
    pending.set(id, grant);
    const scopeList = grant.scopes
      .map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`)
      .join('');
    return sendHtml(
      response,
      definition.name,
      200,
      `Authorize ${app.name}`,
      `<p><strong>${escapeHtml(app.name)}</strong> wants to access <strong>${escapeHtml(definition.accountLabel)}</strong>:</p>
<ul>${scopeList}</ul>
<form method="post" action="${escapeHtml(definition.authorizePath)}" data-emulator="${escapeHtml(definition.name)}">
<input type="hidden" name="authorization" value="${id}">
<button type="submit" name="decision" value="allow">Authorize</button>
${(definition.otherAccounts ?? [])
  .map(
    (account) =>
      `<button type="submit" name="account" value="${escapeHtml(account.id)}" class="secondary">Sign in as ${escapeHtml(account.label)}</button>`,
  )
  .join('\n')}
<button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
</form>`,
    );
  };

  const decide = async (request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams(await readBody(request));
    const grant = pending.get(form.get('authorization') ?? '');
    if (grant === undefined) {
      return sendHtml(
        response,
        definition.name,
        400,
        'Expired',
        '<p>This authorization request is unknown or already answered.</p>',
      );
    }
    pending.delete(form.get('authorization') ?? '');
    const accountId = form.get('account');
    if (accountId !== null) {
      if (!definition.otherAccounts?.some((account) => account.id === accountId)) {
        return sendHtml(
          response,
          definition.name,
          400,
          'Unknown account',
          `<p>No account ${escapeHtml(accountId)} to sign in as.</p>`,
        );
      }
      return approve(response, { ...grant, accountId });
    }
    if (form.get('decision') !== 'allow') {
      return redirectBack(response, grant, {
        error: 'access_denied',
        error_description: 'The resource owner denied the request.',
      });
    }
    return approve(response, grant);
  };

  return { show, decide };
};
