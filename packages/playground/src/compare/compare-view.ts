import { ConnectorType } from '@logto/connector-kit';
import type { RunError } from '../connector-runs';
import type { DiscoveredConnector } from '../discovery';
import type { ReceivedMail } from '../emulators';
import { escapeHtml, jsonBlock } from '../html';
import { maskSecrets } from '../masking';
import type { OfficialOutcome } from './compare-send';
import { officialPackages } from './official-connectors';

/**
 * Compare mode's result: a one-line verdict per side (ok, or the error code and message), then the
 * idplug connector's full result and the official package's next to each other (one column
 * below each other on a narrow screen).
 */

const verdict = (error: RunError | undefined) =>
  error === undefined
    ? '<span data-testid="compare-verdict" data-ok="true">ok</span>'
    : `<span data-testid="compare-verdict" data-ok="false"><span class="code">${escapeHtml(error.code ?? 'not a ConnectorError')}</span> ${escapeHtml(error.message)}</span>`;

const officialVerdict = (official: OfficialOutcome) => {
  switch (official.kind) {
    case 'sent':
    case 'signed-in':
      return verdict(undefined);
    case 'failed':
      return verdict(official.error);
    default:
      return `<span data-testid="compare-verdict" data-ok="none">${escapeHtml(official.kind === 'refused' ? 'not run' : 'not available')}</span>`;
  }
};

const officialPanel = (
  official: OfficialOutcome,
  messageView: (message: ReceivedMail, index: number) => string,
) => {
  const heading = `<h2>Official <code>${escapeHtml(official.packageName ?? '@logto/connector-*')}</code></h2>`;
  switch (official.kind) {
    case 'unavailable':
    case 'refused':
      return `<section class="panel" data-testid="official-result" data-kind="${official.kind}">${heading}<p class="notice" data-testid="official-reason">${escapeHtml(official.reason)}</p></section>`;
    case 'failed': {
      const refused =
        official.refusedAddresses.length === 0
          ? ''
          : `<p class="notice" data-testid="official-refused">Refused (no emulator for it, nothing sent): ${official.refusedAddresses.map((address) => `<code>${escapeHtml(address)}</code>`).join(', ')}</p>`;
      const data =
        official.error.data === undefined
          ? ''
          : `<h3>Data</h3>${jsonBlock(maskSecrets(official.error.data))}`;
      return `<section class="panel result failed" data-testid="official-result" data-kind="failed">${heading}
<p><code>${escapeHtml(official.during)}</code> failed: <span class="code" data-testid="official-error-code">${escapeHtml(official.error.code ?? 'not a ConnectorError')}</span></p>
<p data-testid="official-error-message">${escapeHtml(official.error.message)}</p>${data}${refused}</section>`;
    }
    case 'sent': {
      const received =
        official.received.length === 0
          ? '<p class="notice">The official connector reported success, but the emulator received nothing.</p>'
          : official.received.map((message, index) => messageView(message, index)).join('');
      return `<section class="panel result" data-testid="official-result" data-kind="sent">${heading}
<p class="muted"><code>sendMessage</code> returned:</p>${jsonBlock(maskSecrets(official.returned ?? null))}${received}</section>`;
    }
    case 'signed-in': {
      const { method, userInfo, tokenResponse } = official.result;
      return `<section class="panel result" data-testid="official-result" data-kind="signed-in">${heading}
<p class="muted">Signed in through <code>${escapeHtml(method)}</code>, on its own trip to the emulator.</p>
<h3>Normalized user</h3>${jsonBlock(maskSecrets({ ...userInfo, rawData: undefined }), 'official-user')}
<h3>Raw data</h3>${jsonBlock(maskSecrets(userInfo.rawData ?? null))}${
        tokenResponse === undefined
          ? ''
          : `<h3>Token response</h3>${jsonBlock(maskSecrets(tokenResponse))}`
      }</section>`;
    }
  }
};

export const renderSideBySide = (
  ours: { html: string; error: RunError | undefined },
  official: OfficialOutcome,
  messageView: (message: ReceivedMail, index: number) => string,
) =>
  `<div data-testid="compare" class="compare">
<p class="panel" data-testid="compare-summary">Compare mode: idplug ${verdict(ours.error)} · official ${officialVerdict(official)}</p>
<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:1rem;align-items:start">
<div data-testid="compare-ours" style="min-width:0">${ours.html}</div>
<div data-testid="compare-official" style="min-width:0">${officialPanel(official, messageView)}</div>
</div></div>`;

/** What compare mode does on a connector's page, above its result. */
export const compareNoteFor = (connector: DiscoveredConnector) => {
  const official = officialPackages.get(connector.metadata.id);
  const text =
    official === undefined
      ? 'Compare: no official @logto package is compared with this connector here; it runs alone.'
      : connector.type === ConnectorType.Social
        ? `Compare: after this sign-in, the official ${official.packageName} (where installed) signs in with the same config on its own trip to the same emulator (approve a second time there).`
        : `Compare: each test send also runs the official ${official.packageName} (where installed) with the same config, against the same emulator.`;
  return `<p class="notice" data-testid="compare-note" data-compared="${official !== undefined}">${escapeHtml(text)}</p>`;
};
