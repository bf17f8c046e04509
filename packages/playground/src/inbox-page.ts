import { escapeHtml, page } from './html';
import type { InboxEntry } from './inbox';
import { mailView } from './pages';
import type { PlaygroundSite } from './site';
import { renderTemplateReport, smsView } from './sms-test';

/** `/inbox`: every email and SMS the emulators received since start, newest first. */

const entryView = (site: PlaygroundSite, entry: InboxEntry, index: number) => {
  const { message, sent } = entry;
  const connector = site.connectors.find(
    (candidate) => candidate.metadata.id === entry.connectorId,
  );
  const name = connector?.metadata.name.en ?? entry.connectorId;
  const link = connector
    ? `<a href="/connectors/${escapeHtml(connector.slug)}">${escapeHtml(name)}</a>`
    : escapeHtml(name);
  const sentBy = sent?.sentBy
    ? `<p class="muted" data-testid="sent-by">Sent by the ${escapeHtml(sent.sentBy)}</p>`
    : '';
  const template = sent
    ? `${sentBy}${renderTemplateReport(sent.template)}`
    : '<p class="muted" data-testid="template-report">Not sent from the playground: the usage type asked for is not known.</p>';
  const providerTemplate =
    message.providerTemplate && message.channel === 'email'
      ? `<p class="muted">The provider's template: <code>${escapeHtml(message.providerTemplate)}</code></p>`
      : '';
  return `<li class="panel inbox-entry" data-testid="inbox-entry" data-channel="${message.channel}" data-connector="${escapeHtml(connector?.slug ?? entry.connectorId)}">
<h2>${message.channel === 'sms' ? 'SMS' : 'Email'} to <span data-testid="inbox-to">${escapeHtml(message.to.join(', '))}</span></h2>
<p class="muted">${link} · ${escapeHtml(entry.emulatorName)} · <time datetime="${message.receivedAt.toISOString()}">${escapeHtml(message.receivedAt.toISOString())}</time></p>
${template}${providerTemplate}${message.channel === 'sms' ? smsView(message) : mailView(message, index)}</li>`;
};

export const renderInboxPage = async (site: PlaygroundSite): Promise<string> => {
  const entries = (await site.inbox()?.list()) ?? [];
  const list =
    entries.length === 0
      ? '<p class="notice" data-testid="inbox-empty">No message yet: send a test email or SMS from a connector’s page.</p>'
      : `<ol class="inbox" data-testid="inbox" style="list-style:none;padding:0">${entries.map((entry, index) => entryView(site, entry, index)).join('\n')}</ol>`;
  return page(
    'Inbox',
    `<h1>Inbox</h1>
<p class="muted">Every email and SMS the emulators received since the playground started, newest first: from the playground’s test sends, or from anything else pointed at an emulator.</p>${list}`,
  );
};
