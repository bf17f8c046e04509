import { ConnectorType } from '@logto/connector-kit';
import type { OfficialOutcome } from './compare/compare-send';
import { renderSideBySide } from './compare/compare-view';
import type { RunError, SignInResult } from './connector-runs';
import type { BrokenConnector, DiscoveredConnector } from './discovery';
import type { ConnectorPreset, ReceivedMail } from './emulators';
import { renderFaultBadge } from './faults';
import { type FieldErrors, type FormValues, type problemsOf, renderConfigFields } from './form';
import { escapeHtml, jsonBlock, page } from './html';
import { decodeJwtClaims, maskSecrets } from './masking';
import {
  type RefreshResult,
  type RunDetails,
  renderRefreshed,
  renderRunPanels,
} from './run-panels';
import {
  renderReceived,
  renderSmsFields,
  renderSmsSent,
  renderTemplateReport,
  type SmsFormValues,
  type SmsSentResult,
  smsView,
  usageTypeOptions,
} from './sms-test';
import type { TemplateReport } from './template-report';

/** What the last action on a connector produced, shown beside its form. */
export type ActionResult =
  | { kind: 'valid'; parsed: unknown }
  | {
      kind: 'invalid';
      /** true when only the playground refuses it (the connector's guard accepts it). */
      guardAccepted: boolean;
      problems: ReturnType<typeof problemsOf>;
    }
  | {
      kind: 'failed';
      during: string;
      error: RunError;
      /** A problem of the playground's own flow (no pending sign-in, wrong state), not the connector's. */
      byPlayground?: boolean;
      /** What the connector logged before failing (SMTP with `logger` / `debug`). */
      log?: string[];
      /** Compare mode: the official package's run of the same test send. */
      official?: OfficialOutcome;
    }
  | {
      kind: 'signed-in';
      result: SignInResult;
      callbackParameters: Record<string, string>;
      authorizationUri: string;
      usedEmulator: boolean;
      /** Compare mode: the official package's sign-in of the same flow. */
      official?: OfficialOutcome;
    }
  | {
      kind: 'sent';
      to: string;
      usageType: string;
      locale: string;
      returned: unknown;
      received: ReceivedMail[] | undefined;
      template?: TemplateReport;
      /** What the connector logged (SMTP with `logger` / `debug`). */
      log?: string[];
      /** Compare mode: the official package's run of the same test send. */
      official?: OfficialOutcome;
    }
  | SmsSentResult
  | RefreshResult;

export type EmailFormValues = { to: string; usageType: string; locale: string; code: string };

const english = (phrases: Record<string, string> | undefined) =>
  phrases?.en ?? Object.values(phrases ?? {})[0] ?? '';

const typeBadge = (type: ConnectorType) =>
  `<span class="badge ${type.toLowerCase()}" data-testid="connector-type">${escapeHtml(type)}</span>`;

/** On a card: whether the connector runs against an emulator here, or only the real provider. */
const emulatorBadge = (preset: ConnectorPreset | undefined) =>
  preset
    ? `<p><span class="badge emulator" data-testid="card-mode" data-mode="emulator">${escapeHtml(preset.emulatorName)}</span>${renderFaultBadge(preset)}</p>`
    : '<p><span class="badge real" data-testid="card-mode" data-mode="real">real provider only</span></p>';

const logo = (connector: DiscoveredConnector, className = 'logo') =>
  `<img class="${className}" src="/logos/${escapeHtml(connector.slug)}" alt="">`;

export const renderIndex = (
  connectors: DiscoveredConnector[],
  broken: BrokenConnector[],
  presetOf?: (connector: DiscoveredConnector) => ConnectorPreset | undefined,
): string => {
  const cards = connectors
    .map(
      (
        connector,
      ) => `<li><a class="card" href="/connectors/${escapeHtml(connector.slug)}" data-testid="connector-card" data-slug="${escapeHtml(connector.slug)}">
${logo(connector, '')}<div><h2>${escapeHtml(english(connector.metadata.name))} ${typeBadge(connector.type)}</h2>
<p>${escapeHtml(english(connector.metadata.description))}</p>
<p><code>${escapeHtml(connector.packageName)}</code></p>${presetOf ? emulatorBadge(presetOf(connector)) : ''}</div></a></li>`,
    )
    .join('\n');
  const brokenList =
    broken.length === 0
      ? ''
      : `<section class="panel result failed"><h2>Could not load</h2><ul>${broken
          .map(
            (entry) =>
              `<li><code>connector-${escapeHtml(entry.slug)}</code>: ${escapeHtml(entry.error)}</li>`,
          )
          .join('')}</ul></section>`;
  return page(
    'Connectors',
    `<h1>Connectors</h1>
<p class="muted">Every <code>packages/connector-*</code> of this workspace. Each starts configured against a local emulator, so sign-ins and test emails work with no credentials; edit a configuration to try the real provider.</p>
<ul class="cards">${cards}</ul>${brokenList}`,
  );
};

const userTable = (userInfo: SignInResult['userInfo']) => {
  const rows = (['id', 'name', 'email', 'phone', 'avatar'] as const)
    .map((key) => {
      const value = userInfo[key];
      const cell =
        value === undefined
          ? '<span class="muted">(none)</span>'
          : key === 'avatar'
            ? `<code>${escapeHtml(value)}</code>`
            : escapeHtml(value);
      return `<tr><th>${key}</th><td data-testid="user-${key}">${cell}</td></tr>`;
    })
    .join('');
  return `<table class="kv" data-testid="user-info">${rows}</table>`;
};

export const mailView = (mail: ReceivedMail, index: number) => {
  const details = Object.entries(mail.details)
    .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  const html =
    mail.html === undefined
      ? '<p class="muted">No HTML part.</p>'
      : // An empty sandbox: no scripts, no forms, no same-origin access for the message.
        `<iframe class="mail" sandbox="" title="HTML part" data-testid="mail-html" srcdoc="${escapeHtml(mail.html)}"></iframe>`;
  const text =
    mail.text === undefined
      ? '<p class="muted">No text part.</p>'
      : `<pre class="json" data-testid="mail-text">${escapeHtml(mail.text)}</pre>`;
  return `<div class="mail-received" data-testid="mail-received" data-index="${index}">
<p class="muted">Received by ${escapeHtml(mail.receivedBy)}</p>
<table class="kv"><tr><th>From</th><td data-testid="mail-from">${escapeHtml(mail.from)}</td></tr>
<tr><th>To</th><td data-testid="mail-to">${escapeHtml(mail.to.join(', '))}</td></tr>
<tr><th>Subject</th><td data-testid="mail-subject">${escapeHtml(mail.subject)}</td></tr>${details}</table>
<h3>HTML part</h3>${html}<h3>Text part</h3>${text}</div>`;
};

/** A message the emulator received, email or SMS. */
const messageView = (message: ReceivedMail, index: number) =>
  message.channel === 'sms' ? smsView(message) : mailView(message, index);

/** The last result; in compare mode, beside the official package's run of the same action. */
export const renderResult = (result: ActionResult | undefined): string => {
  const own = renderOwnResult(result);
  return result !== undefined && 'official' in result && result.official !== undefined
    ? renderSideBySide(
        { html: own, error: result.kind === 'failed' ? result.error : undefined },
        result.official,
        messageView,
      )
    : own;
};

const renderOwnResult = (result: ActionResult | undefined): string => {
  if (result === undefined) {
    return '';
  }
  switch (result.kind) {
    case 'valid':
      return `<section class="panel result" id="result" data-testid="result" data-kind="valid"><h2>The configuration is valid</h2>
<p class="muted">As the connector's guard parsed it (defaults applied, secrets masked):</p>${jsonBlock(maskSecrets(result.parsed))}</section>`;
    case 'invalid': {
      const names = result.problems.map((problem) => problem.label).join(', ');
      const list = result.problems
        .map(
          (problem) =>
            `<li data-testid="invalid-field" data-key="${escapeHtml(problem.key)}">${
              problem.fieldId
                ? `<a href="#${escapeHtml(problem.fieldId)}">${escapeHtml(problem.label)}</a>`
                : escapeHtml(problem.label)
            }: ${problem.messages.map(escapeHtml).join('; ')}</li>`,
        )
        .join('');
      const who = result.guardAccepted
        ? "The connector's guard accepts it, but the run could only fail at the provider:"
        : "The connector's own guard refused it (Logto would too):";
      return `<section class="panel result failed" id="result" data-testid="result" data-kind="invalid"><h2>The configuration is not valid${names ? `: ${escapeHtml(names)}` : ''}</h2>
<p>${who}</p><ul class="errors">${list}</ul></section>`;
    }
    case 'failed': {
      const { error } = result;
      const code = error.code
        ? `<span class="code" data-testid="error-code">${escapeHtml(error.code)}</span>`
        : '<span class="code" data-testid="error-code">not a ConnectorError</span>';
      const data =
        error.data === undefined ? '' : `<h3>Data</h3>${jsonBlock(maskSecrets(error.data))}`;
      const note =
        error.isConnectorError || result.byPlayground
          ? ''
          : '<p class="muted">The connector threw something that is not a ConnectorError: Logto would answer it with a 500.</p>';
      const heading = result.byPlayground
        ? `${escapeHtml(result.during)} was refused`
        : `${escapeHtml(result.during)} failed: ${code}`;
      return `<section class="panel result failed" id="result" data-testid="result" data-kind="failed"${result.byPlayground ? ' data-by="playground"' : ''}><h2>${heading}</h2>
<p data-testid="error-message">${escapeHtml(error.message)}</p>${note}${data}</section>`;
    }
    case 'signed-in': {
      const { userInfo, tokenResponse, method } = result.result;
      const idTokenClaims =
        typeof tokenResponse?.id_token === 'string'
          ? decodeJwtClaims(tokenResponse.id_token)
          : undefined;
      return `<section class="panel result" id="result" data-testid="result" data-kind="signed-in"><h2>Signed in${result.usedEmulator ? ' (emulator)' : ''}</h2>
<p class="muted">Through <code>${method}</code>, as Logto would call it.</p>
<h3>Normalized user</h3>${userTable(userInfo)}
<h3>Raw data</h3>${jsonBlock(maskSecrets(userInfo.rawData ?? null), 'raw-data')}
<h3>Token response</h3>${
        tokenResponse === undefined
          ? '<p class="muted">Not returned: this connector does not support token storage.</p>'
          : jsonBlock(maskSecrets(tokenResponse), 'token-response')
      }${idTokenClaims ? `<h3>ID token claims</h3>${jsonBlock(idTokenClaims, 'id-token-claims')}` : ''}
<details><summary>Authorization request and callback</summary>
<p><code>${escapeHtml(result.authorizationUri)}</code></p>${jsonBlock(maskSecrets(result.callbackParameters))}</details></section>`;
    }
    case 'sent': {
      const received = renderReceived(result.received, mailView, 'the inbox of the recipient');
      return `<section class="panel result" id="result" data-testid="result" data-kind="sent"><h2>Sent</h2>
<p class="muted"><code>sendMessage</code> (${escapeHtml(result.usageType)}, locale ${escapeHtml(result.locale || '(none)')}) to ${escapeHtml(result.to)} returned:</p>${jsonBlock(maskSecrets(result.returned ?? null))}${renderTemplateReport(result.template)}${received}</section>`;
    }
    case 'sms-sent':
      return renderSmsSent(result);
    case 'refreshed':
      return renderRefreshed(result);
  }
};

const emailFields = (values: EmailFormValues) => {
  const usageTypes = usageTypeOptions(values.usageType);
  return `<fieldset class="test-message"><legend>Test message</legend>
<div class="field"><label for="email-to">To</label><input id="email-to" name="email.to" type="email" value="${escapeHtml(values.to)}"></div>
<div class="field"><label for="email-usage-type">Usage type</label><select id="email-usage-type" name="email.usageType">${usageTypes}</select></div>
<div class="field"><label for="email-locale">Locale</label><input id="email-locale" name="email.locale" type="text" value="${escapeHtml(values.locale)}" placeholder="en"></div>
<div class="field"><label for="email-code">Code</label><input id="email-code" name="email.code" type="text" value="${escapeHtml(values.code)}"></div>
</fieldset>`;
};

export type DetailPageInput = {
  connector: DiscoveredConnector;
  preset: ConnectorPreset | undefined;
  values: FormValues;
  errors: FieldErrors;
  currentConfigUsesEmulator: boolean;
  callbackUrl: string;
  /** The callback URL of the previous run, when the playground ran on another port then. */
  previousCallbackUrl?: string | undefined;
  email: EmailFormValues;
  sms: SmsFormValues;
  result: ActionResult | undefined;
  /** The last run's requests, config for Logto and refresh, shown beside the result. */
  run?: RunDetails | undefined;
  /** The faults control (faults.ts), below the result. */
  faultsPanel?: string;
  /** Compare mode (`--compare`): what it does on this connector's page (HTML). */
  compareNote?: string | undefined;
};

export const renderConnectorPage = (input: DetailPageInput): string => {
  const { connector, preset, values, errors, callbackUrl, result } = input;
  const { metadata } = connector;
  const isSocial = connector.type === ConnectorType.Social;
  const isEmail = connector.type === ConnectorType.Email;
  const isSms = connector.type === ConnectorType.Sms;
  // The form's script asks `/connectors/<slug>/mode` as the form changes and updates the badge.
  const mode = preset
    ? input.currentConfigUsesEmulator
      ? `<span class="badge emulator" data-testid="mode" data-mode="emulator" aria-live="polite">${escapeHtml(preset.emulatorName)}</span>`
      : '<span class="badge real" data-testid="mode" data-mode="real" aria-live="polite">real provider</span>'
    : '<span class="badge real" data-testid="mode" data-mode="real">no emulator: real provider only</span>';
  const primary = isSocial
    ? '<button type="submit" name="action" value="sign-in" class="primary">Sign in</button>'
    : isEmail
      ? '<button type="submit" name="action" value="send" class="primary">Send test email</button>'
      : isSms
        ? '<button type="submit" name="action" value="send" class="primary">Send test SMS</button>'
        : '';
  const reset = preset
    ? '<button type="submit" name="action" value="reset" formnovalidate>Reset to the emulator config</button>'
    : '';
  const callbackChanged =
    input.previousCallbackUrl && input.previousCallbackUrl !== callbackUrl
      ? `<p class="notice" data-testid="callback-changed">The callback URL changed since the last run (it was <code>${escapeHtml(input.previousCallbackUrl)}</code>): update it at a real provider, or start with <code>--port</code> to keep the old one.</p>`
      : '';
  const info = isSocial
    ? `<section class="panel"><h2>Callback URL</h2><p>Register this redirect URI at the provider to sign in against it for real:</p><p><code data-testid="callback-url">${escapeHtml(callbackUrl)}</code></p>${callbackChanged}</section>`
    : '';
  const unsupported =
    !isSocial && !isEmail && !isSms
      ? `<p class="notice">${escapeHtml(connector.type)} connectors can be configured and validated here; sending is not wired yet.</p>`
      : '';

  return page(
    english(metadata.name),
    `<div class="title">${logo(connector)}<div><h1>${escapeHtml(english(metadata.name))} ${typeBadge(connector.type)}</h1>
<p class="muted">${escapeHtml(english(metadata.description))}</p>
<p class="muted"><code>${escapeHtml(connector.packageName)}@${escapeHtml(connector.packageVersion)}</code> · id <code>${escapeHtml(metadata.id)}</code> · target <code>${escapeHtml(metadata.target)}</code>${metadata.platform ? ` · platform <code>${escapeHtml(String(metadata.platform))}</code>` : ''}</p></div></div>
<div class="layout"><section class="panel"><h2>Configuration ${mode}</h2>${unsupported}
<form class="config" method="post" action="/connectors/${escapeHtml(connector.slug)}" novalidate${preset ? ` data-mode-url="/connectors/${escapeHtml(connector.slug)}/mode"` : ''}>
${isEmail ? emailFields(input.email) : ''}${isSms ? renderSmsFields(input.sms) : ''}
${renderConfigFields(metadata.formItems, values, errors)}
<div class="actions">${primary}<button type="submit" name="action" value="validate">Validate</button>${reset}<span class="working" data-testid="working" role="status" hidden>Working…</span></div>
</form></section>
<div>${input.compareNote ?? ''}${renderResult(result)}${renderRunPanels(connector, input.run, result && 'log' in result ? result.log : undefined)}${input.faultsPanel ?? ''}${info}</div></div>`,
  );
};

/** The playground's own failure (a bug): said as such, with the way back. */
export const renderProblem = (what: string): string =>
  page(
    'The playground failed',
    `<h1>The playground failed</h1><p class="wrap">${escapeHtml(what)}</p><p class="muted">The terminal shows the stack.</p><p><a href="/">All connectors</a></p>`,
  );

/** `/favicon.ico`: the idplug mark, so no page logs a 404. */
export const faviconSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#5d34f2"/><path d="M11 8v16M16 8h3a8 8 0 0 1 0 16h-3z" stroke="#fff" stroke-width="3" fill="none"/></svg>';

export const renderNotFound = (what: string): string => {
  return page(
    'Not found',
    `<h1>Not found</h1><p>${escapeHtml(what)}</p><p><a href="/">All connectors</a></p>`,
  );
};
