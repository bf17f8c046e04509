import { TemplateType } from '@logto/connector-kit';
import type { ConnectorState } from './browser-sessions';
import type { OfficialOutcome } from './compare/compare-send';
import type { DiscoveredConnector } from './discovery';
import type { ReceivedMail } from './emulators';
import { escapeHtml, jsonBlock } from './html';
import { maskSecrets } from './masking';
import type { PlaygroundSite } from './site';
import type { TemplateReport } from './template-report';
import { testSendOutcome } from './test-sends';

/**
 * An SMS connector's test message, as Logto's console sends one: a phone number, a usage type
 * and a code, then what the SMS emulator received (and which template answered).
 */

export type SmsFormValues = { to: string; usageType: string; code: string };

export type SmsSentResult = {
  kind: 'sms-sent';
  to: string;
  usageType: string;
  returned: unknown;
  received: ReceivedMail[] | undefined;
  template: TemplateReport;
  /** Compare mode: the official package's run of the same test send. */
  official?: OfficialOutcome;
};

/** A number every SMS emulator accepts (Twilio gets it as +4512345678, Aliyun as it is). */
export const defaultSmsValues = (code: string): SmsFormValues => ({
  to: '4512345678',
  usageType: TemplateType.Generic,
  code,
});

export const readSmsFormValues = (body: URLSearchParams): SmsFormValues => ({
  to: body.get('sms.to') ?? '',
  usageType: body.get('sms.usageType') ?? TemplateType.Generic,
  code: body.get('sms.code') ?? '',
});

export const sendTestSms = async (
  site: PlaygroundSite,
  connector: DiscoveredConnector,
  state: ConnectorState,
  config: Record<string, unknown>,
) => {
  const sms = state.sms ?? defaultSmsValues('');
  state.result = await testSendOutcome(site, connector, config, sms, (sent) => ({
    kind: 'sms-sent',
    to: sms.to,
    usageType: sms.usageType,
    ...sent,
  }));
};

/** The usage types of Logto's templates, as `<option>`s (email and SMS test messages). */
export const usageTypeOptions = (selected: string) =>
  Object.values(TemplateType)
    .map(
      (type) =>
        `<option value="${escapeHtml(type)}"${type === selected ? ' selected' : ''}>${escapeHtml(type)}</option>`,
    )
    .join('');

export const renderSmsFields = (values: SmsFormValues) =>
  `<fieldset class="test-message"><legend>Test SMS</legend>
<div class="field"><label for="sms-to">Phone number</label><input id="sms-to" name="sms.to" type="tel" value="${escapeHtml(values.to)}"></div>
<div class="field"><label for="sms-usage-type">Usage type</label><select id="sms-usage-type" name="sms.usageType">${usageTypeOptions(values.usageType)}</select></div>
<div class="field"><label for="sms-code">Code</label><input id="sms-code" name="sms.code" type="text" value="${escapeHtml(values.code)}"></div>
</fieldset>`;

/** Which template answered, in one line (email and SMS results, the inbox). */
export const renderTemplateReport = (report: TemplateReport | undefined) =>
  report === undefined
    ? ''
    : `<p class="template-report" data-testid="template-report" data-answered-by="${escapeHtml(report.answeredBy)}">Template: asked for <code>${escapeHtml(report.usageType)}</code>${report.locale ? ` (locale <code>${escapeHtml(report.locale)}</code>)` : ''}; ${escapeHtml(report.explanation)}</p>`;

export const smsView = (message: ReceivedMail) => {
  const details = Object.entries(message.details)
    .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  return `<div class="sms-received" data-testid="sms-received">
<p class="muted">Received by ${escapeHtml(message.receivedBy)}</p>
<table class="kv"><tr><th>To</th><td data-testid="sms-to">${escapeHtml(message.to.join(', '))}</td></tr>
<tr><th>Provider template</th><td data-testid="sms-template">${escapeHtml(message.providerTemplate ?? '')}</td></tr>${details}</table>
<h3>Text</h3><pre class="json" data-testid="sms-text">${escapeHtml(message.text ?? '')}</pre></div>`;
};

/** What the emulator received during a test send (email or SMS), each message in `view`. */
export const renderReceived = (
  received: ReceivedMail[] | undefined,
  view: (message: ReceivedMail, index: number) => string,
  whereToLook: string,
) =>
  received === undefined
    ? `<p class="notice">Sent through the real provider: check ${escapeHtml(whereToLook)}.</p>`
    : received.length === 0
      ? '<p class="notice">The connector reported success, but the emulator received nothing.</p>'
      : received.map(view).join('');

export const renderSmsSent = (result: SmsSentResult) => {
  const received = renderReceived(result.received, smsView, 'the phone');
  return `<section class="panel result" id="result" data-testid="result" data-kind="sms-sent"><h2>Sent</h2>
<p class="muted"><code>sendMessage</code> (${escapeHtml(result.usageType)}) to ${escapeHtml(result.to)} returned:</p>${jsonBlock(maskSecrets(result.returned ?? null))}${renderTemplateReport(result.template)}${received}
<p><a href="/inbox">All messages in the inbox</a></p></section>`;
};
