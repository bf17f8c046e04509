import type { TokenResponse } from '@logto/connector-kit';
import type { DiscoveredConnector } from './discovery';
import { escapeHtml, jsonBlock } from './html';
import { decodeJwtClaims, maskSecrets } from './masking';
import {
  maskConfig,
  type RunTimeline,
  type ShownBody,
  type TimelineExchange,
} from './run-timeline';

/**
 * What a page shows beside a run's result: the request timeline (and the SMTP conversation),
 * "Copy config for Logto", and the refresh of the tokens a sign-in stored. The state behind them
 * is `RunDetails`, kept per browser and connector (browser-sessions.ts).
 */

/** Whether the tokens of the last sign-in can be refreshed, and with what. */
export type RefreshAvailability =
  | {
      available: true;
      /** The config the sign-in ran with (the refresh runs with the same). */
      config: Record<string, unknown>;
      refreshToken: string;
      /** What the sign-in knew to be secret, for masking the refresh's timeline. */
      secrets: string[];
    }
  | { available: false; reason: string };

export type RunDetails = {
  /** What the last run sent and received; absent when the action ran nothing (Validate). */
  timeline?: RunTimeline;
  /** The config that passed validation in the last action: "Copy config for Logto". */
  logtoConfig?: Record<string, unknown>;
  /** Shown unmasked only after the user asked (the Reveal button), until the next action. */
  revealConfig?: boolean;
  /** After a sign-in: the refresh action, or why there is none. */
  refresh?: RefreshAvailability;
};

/** The result of the Refresh action (an `ActionResult` kind). */
export type RefreshResult = {
  kind: 'refreshed';
  tokenResponse: TokenResponse;
  /** Whether the provider sent a new refresh token (rotation); the next refresh uses it. */
  rotated: boolean;
  usedEmulator: boolean;
};

export const renderRefreshed = (result: RefreshResult): string => {
  const claims =
    typeof result.tokenResponse.id_token === 'string'
      ? decodeJwtClaims(result.tokenResponse.id_token)
      : undefined;
  return `<section class="panel result" id="result" data-testid="result" data-kind="refreshed"><h2>Tokens refreshed${result.usedEmulator ? ' (emulator)' : ''}</h2>
<p class="muted">Through <code>getAccessTokenByRefreshToken</code> with the refresh token the sign-in stored, as Logto calls it for a stored token set. ${
    result.rotated
      ? 'The provider sent a new refresh token (rotation): the next refresh uses it.'
      : 'No new refresh token came back: the next refresh uses the same one.'
  }</p>
<h3>Token response</h3>${jsonBlock(maskSecrets(result.tokenResponse), 'refreshed-token-response')}${
    claims ? `<h3>ID token claims</h3>${jsonBlock(claims, 'refreshed-id-token-claims')}` : ''
  }</section>`;
};

const shownBody = (body: ShownBody | undefined, testId: string) =>
  body === undefined
    ? '<p class="muted">(no body)</p>'
    : `${body.cutFrom === undefined ? '' : `<p class="muted">The first ${body.text.length - 1} of ${body.cutFrom} characters:</p>`}<pre class="json" data-testid="${testId}">${escapeHtml(body.text || '(empty)')}</pre>`;

const headerTable = (headers: Record<string, string>) =>
  Object.keys(headers).length === 0
    ? '<p class="muted">(none)</p>'
    : `<table class="kv">${Object.entries(headers)
        .map(
          ([name, value]) =>
            `<tr><th>${escapeHtml(name)}</th><td><code>${escapeHtml(value)}</code></td></tr>`,
        )
        .join('')}</table>`;

const statusText = (exchange: TimelineExchange) =>
  exchange.response ? String(exchange.response.status) : 'no answer';

const exchangeView = (exchange: TimelineExchange, index: number, firstStart: number) => {
  const status = statusText(exchange);
  const failed = exchange.response === undefined || exchange.response.status >= 400;
  const offset = exchange.startedAt - firstStart;
  return `<li data-testid="timeline-entry" data-method="${escapeHtml(exchange.method)}" data-status="${escapeHtml(status)}" data-purpose="${escapeHtml(exchange.purpose)}"><details>
<summary><code class="method">${escapeHtml(exchange.method)}</code> <span class="http-status${failed ? ' bad' : ''}">${escapeHtml(status)}</span> <code class="url" data-testid="timeline-url">${escapeHtml(exchange.url)}</code> <span class="muted">${escapeHtml(exchange.purpose)} · ${exchange.durationMs} ms · +${offset} ms${exchange.attempt > 1 ? ` · attempt ${exchange.attempt}` : ''}</span></summary>
${exchange.error ? `<p class="field-errors" data-testid="timeline-error">${escapeHtml(exchange.error)}</p>` : ''}
<h3>Request headers</h3>${headerTable(exchange.request.headers)}
<h3>Request body</h3>${shownBody(exchange.request.body, `timeline-request-body-${index}`)}
${
  exchange.response
    ? `<h3>Response headers</h3>${headerTable(exchange.response.headers)}
<h3>Response body</h3>${shownBody(exchange.response.body, `timeline-response-body-${index}`)}`
    : ''
}</details></li>`;
};

/** The connector's own log of the run (SMTP's conversation with `logger` / `debug`). */
const logView = (log: string[]) =>
  `<details class="connector-log" open><summary>Connector log: the SMTP conversation (${log.length} lines)</summary><pre class="json" data-testid="connector-log">${escapeHtml(log.join('\n') || '(nothing logged)')}</pre></details>`;

const timelinePanel = (
  connector: DiscoveredConnector,
  timeline: RunTimeline | undefined,
  log: string[] | undefined,
) => {
  if (timeline === undefined && log === undefined) {
    return '';
  }
  const exchanges = timeline?.exchanges ?? [];
  const firstStart = Math.min(...exchanges.map(({ startedAt }) => startedAt));
  const speaksSmtp = (connector.metadata.formItems ?? []).some(({ key }) => key === 'debug');
  const none =
    exchanges.length > 0
      ? ''
      : `<p class="muted" data-testid="timeline-empty">The connector made no HTTP request.${
          speaksSmtp && log === undefined
            ? ' It speaks SMTP: switch on Logger and Debug to record the SMTP conversation here.'
            : ''
        }</p>`;
  const calls = timeline?.calls.length
    ? `<p class="muted">During ${timeline.calls.map((call) => `<code>${escapeHtml(call)}</code>`).join(', ')}; secrets and tokens are masked. Open a request for its headers and bodies.</p>`
    : '';
  return `<section class="panel timeline" id="timeline" data-testid="timeline"><h2>Requests (${exchanges.length})</h2>${calls}${none}
${exchanges.length > 0 ? `<ol class="timeline">${exchanges.map((exchange, index) => exchangeView(exchange, index, firstStart)).join('\n')}</ol>` : ''}${log === undefined ? '' : logView(log)}</section>`;
};

/**
 * The refresh form's progress state, as the config form's (html.ts): a provider may take seconds
 * (a slow fault), so the button is disabled and "Working…" shown until the page changes.
 */
const refreshScript = `
document.querySelectorAll('[data-testid=refresh-form]').forEach(function (form) {
  var setBusy = function (busy) {
    form.querySelector('button').disabled = busy;
    form.querySelector('.working').hidden = !busy;
  };
  form.addEventListener('submit', function () { setBusy(true); });
  window.addEventListener('pageshow', function () { setBusy(false); });
});
`;

const refreshPanel = (connector: DiscoveredConnector, refresh: RefreshAvailability | undefined) => {
  if (refresh === undefined) {
    return '';
  }
  const body = refresh.available
    ? `<p>Logto stores this sign-in's tokens and renews them with <code>getAccessTokenByRefreshToken</code>. Try it with the refresh token the sign-in returned:</p>
<form method="post" action="/connectors/${escapeHtml(connector.slug)}" class="copy-actions" data-testid="refresh-form"><input type="hidden" name="action" value="refresh"><button type="submit">Refresh token</button><span class="working" role="status" hidden>Working…</span></form>
<script>${refreshScript}</script>`
    : `<p class="notice" data-testid="refresh-unavailable">Refresh is not available: ${escapeHtml(refresh.reason)}</p>`;
  return `<section class="panel" id="refresh" data-testid="refresh"><h2>Refresh</h2>${body}</section>`;
};

/**
 * The copy button's script, beside its panel: the Clipboard API where the page may use it, else
 * the text selected for Ctrl+C (an older browser, or a denied permission).
 */
const copyScript = `
document.querySelectorAll('[data-copy-target]').forEach(function (button) {
  var source = document.getElementById(button.dataset.copyTarget);
  var status = button.parentElement.querySelector('[data-testid=copy-status]');
  var say = function (text) { if (status) status.textContent = text; };
  var select = function () {
    source.focus();
    source.select();
    var copied = false;
    try { copied = document.execCommand('copy'); } catch (error) { copied = false; }
    say(copied ? 'Copied.' : 'Selected: press Ctrl+C (Cmd+C) to copy.');
  };
  button.addEventListener('click', function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(function () { say('Copied.'); }, select);
    } else {
      select();
    }
  });
});
`;

/** The validated config as JSON for Logto, masked unless the user revealed it. */
export const logtoConfigJson = (
  connector: DiscoveredConnector,
  config: Record<string, unknown>,
  reveal: boolean,
): string =>
  JSON.stringify(reveal ? config : maskConfig(config, connector.metadata.formItems ?? []), null, 2);

const logtoConfigPanel = (connector: DiscoveredConnector, run: RunDetails) => {
  if (run.logtoConfig === undefined) {
    return '';
  }
  const reveal = run.revealConfig === true;
  const json = logtoConfigJson(connector, run.logtoConfig, reveal);
  const action = `/connectors/${escapeHtml(connector.slug)}`;
  const toggle = reveal
    ? `<form method="post" action="${action}"><button type="submit" name="action" value="hide-config">Mask secrets</button></form>`
    : `<form method="post" action="${action}"><button type="submit" name="action" value="reveal-config" data-testid="reveal-config">Reveal secrets</button></form>`;
  return `<section class="panel" id="logto-config" data-testid="logto-config-panel" data-revealed="${reveal}"><h2>Copy config for Logto</h2>
<p class="muted">The configuration that passed validation, as JSON for Logto's console (the connector's JSON editor) or the Management API's <code>config</code>. ${
    reveal
      ? '<strong>Secrets are shown</strong>: mask them again before sharing this page.'
      : 'Secrets are masked: reveal them to copy a config Logto can use.'
  }</p>
<textarea class="json" id="logto-config-json" data-testid="logto-config" readonly rows="${Math.min(16, json.split('\n').length + 1)}" aria-label="Config for Logto (JSON)">${escapeHtml(json)}</textarea>
<div class="copy-actions"><button type="button" data-copy-target="logto-config-json" data-testid="copy-config">Copy</button>${toggle}<span class="muted" data-testid="copy-status" role="status"></span></div>
<script>${copyScript}</script></section>`;
};

/** Every panel of the last run beside its result (nothing before the first action). */
export const renderRunPanels = (
  connector: DiscoveredConnector,
  run: RunDetails | undefined,
  /** What the connector logged during the run (the result's `log`). */
  log: string[] | undefined,
): string =>
  run === undefined && log === undefined
    ? ''
    : `${timelinePanel(connector, run?.timeline, log)}${refreshPanel(connector, run?.refresh)}${run ? logtoConfigPanel(connector, run) : ''}`;
