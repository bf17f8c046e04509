import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerConfigMode, submitConnectorForm } from './connector-actions';
import { showConnectorPage } from './connector-page';
import { readLogo } from './discovery';
import { answerFaultSwitch, faultsAnchor } from './faults';
import { readForm, redirect, sendHtml } from './http-messages';
import { renderInboxPage } from './inbox-page';
import { faviconSvg, renderIndex, renderNotFound } from './pages';
import { finishSignInCallback } from './sign-in-callback';
import type { PlaygroundSite } from './site';

/**
 * Which handler answers a request: `/`, `/health`, `/favicon.ico`, `/inbox`, `/logos/<slug>`,
 * `/connectors/<slug>` (GET the page, POST its form), `/connectors/<slug>/mode` (POST: emulator or
 * real provider, for the badge as the form changes), `/connectors/<slug>/faults` (POST: the
 * emulator's fault switch, faults.ts) and `/callback/<slug>` (GET, or POST for
 * `form_post`); only for the playground's own host and origin.
 */

/**
 * A page elsewhere must not drive the playground: not through DNS rebinding (a foreign Host), not
 * by posting a form to it (a foreign Origin) that sends mail through any server it names.
 */
const refusal = (site: PlaygroundSite, request: IncomingMessage) => {
  const port = new URL(site.baseUrl).port;
  if (![`127.0.0.1:${port}`, `localhost:${port}`].includes(request.headers.host ?? '')) {
    return { status: 421, message: 'This playground answers on 127.0.0.1 only.' };
  }
  const origin = request.headers.origin;
  if (
    (request.method ?? 'GET') === 'POST' &&
    // A provider posts its answer back (Apple's form_post); the callback checks the sign-in's state.
    !new URL(request.url ?? '/', site.baseUrl).pathname.startsWith('/callback/') &&
    origin !== undefined &&
    origin !== site.baseUrl &&
    origin !== `http://localhost:${port}`
  ) {
    return { status: 403, message: `Forms from ${origin} are not accepted.` };
  }
  return undefined;
};

export const routeRequest = async (
  site: PlaygroundSite,
  request: IncomingMessage,
  response: ServerResponse,
) => {
  const url = new URL(request.url ?? '/', site.baseUrl);
  const method = request.method ?? 'GET';
  const refused = refusal(site, request);
  if (refused) {
    return sendHtml(response, refused.status, renderNotFound(refused.message));
  }
  // Browser cookies and the providers' registered redirect URIs belong to one host: a page opened
  // at localhost would start a sign-in whose callback (at 127.0.0.1) finds no session cookie. So
  // every request for another spelling of the host moves to the canonical one before any flow
  // (307 keeps a form post a post).
  if (request.headers.host !== new URL(site.baseUrl).host) {
    response.writeHead(307, { location: `${site.baseUrl}${request.url ?? '/'}` });
    return response.end();
  }
  const [, first, slug, ...rest] = url.pathname.split('/');
  if (method === 'GET' && url.pathname === '/favicon.ico') {
    response.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=3600' });
    return response.end(faviconSvg);
  }
  if (method === 'GET' && url.pathname === '/') {
    return sendHtml(response, 200, renderIndex(site.connectors, site.broken, site.presetOf));
  }
  if (method === 'GET' && url.pathname === '/inbox') {
    return sendHtml(response, 200, await renderInboxPage(site));
  }
  if (method === 'GET' && url.pathname === '/health') {
    response.writeHead(200, { 'content-type': 'application/json' });
    return response.end(
      JSON.stringify({
        connectors: site.connectors.map((connector) => connector.slug),
        broken: site.broken,
      }),
    );
  }
  const isModeRequest = first === 'connectors' && method === 'POST' && rest.join('/') === 'mode';
  const isFaultRequest =
    first === 'connectors' && method === 'POST' && rest.join('/') === faultsAnchor;
  const connector =
    slug === undefined || (rest.length > 0 && !isModeRequest && !isFaultRequest)
      ? undefined
      : site.bySlug.get(slug);
  if (connector === undefined) {
    return sendHtml(response, 404, renderNotFound(`No page at ${url.pathname}.`));
  }
  if (method === 'GET' && first === 'logos') {
    const logo = await readLogo(connector);
    if ('url' in logo) {
      return redirect(response, logo.url);
    }
    response.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=60' });
    return response.end(logo.svg);
  }
  if (isModeRequest) {
    return answerConfigMode(site, request, response, connector);
  }
  if (isFaultRequest) {
    return answerFaultSwitch(site, request, response, connector);
  }
  const state = site.sessions.stateOf(request, response, connector.slug);
  if (first === 'connectors' && method === 'GET') {
    return showConnectorPage(site, response, connector, state);
  }
  if (first === 'connectors' && method === 'POST') {
    return submitConnectorForm(site, request, response, connector, state);
  }
  if (first === 'callback' && method === 'GET') {
    return finishSignInCallback(site, response, connector, state, url);
  }
  if (first === 'callback' && method === 'POST') {
    // response_mode=form_post (Apple): the fields are the callback's parameters, as Logto reads them.
    const posted = new URL(url);
    posted.search = (await readForm(request)).toString();
    return finishSignInCallback(site, response, connector, state, posted);
  }
  return sendHtml(response, 405, renderNotFound(`${method} ${url.pathname} is not supported.`));
};
