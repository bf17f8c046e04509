import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type EmulatorFault,
  emulatorFaultAt,
  emulatorFaultDescriptions,
  emulatorFaults,
  hasFaultSwitch,
  isEmulatorFault,
  setEmulatorFault,
} from '@idplug/emulators';
import type { DiscoveredConnector } from './discovery';
import type { ConnectorPreset } from './emulators';
import { escapeHtml, page } from './html';
import { readForm, redirect, sendHtml } from './http-messages';
import type { PlaygroundSite } from './site';

/**
 * The faults control of a connector page: switches a fault (the emulators' emulator-faults.ts:
 * slow, 503 HTML, 429 with Retry-After, connection reset, bad JSON) on or off at the connector's
 * emulator, so the next run shows the ConnectorError the connector gives for it. The switch is
 * the emulator's, not the page's: connectors sharing an emulator (OpenID Connect and OAuth 2.0)
 * see the same fault, and it stays on until switched off. The browser's own page loads at the
 * emulator pass, so a sign-in still reaches the emulator's pages and the fault hits the token,
 * userinfo and send calls that follow.
 */

export const faultsAnchor = 'faults';

const faultUrlOf = (connector: DiscoveredConnector) =>
  `/connectors/${connector.slug}/${faultsAnchor}`;

/** The emulator URL whose switch this connector's page drives, when it has one. */
const switchUrlOf = (preset: ConnectorPreset | undefined): string | undefined =>
  preset?.emulatorUrl !== undefined && hasFaultSwitch(preset.emulatorUrl)
    ? preset.emulatorUrl
    : undefined;

/** Short names for the badge on a connector's card. */
const faultBadgeText: Readonly<Record<EmulatorFault, string>> = {
  slow: 'slow',
  'html-503': '503 HTML',
  'rate-limited': '429',
  'connection-reset': 'connection reset',
  'invalid-json': 'bad JSON',
};

/** On a connector's card: the fault on at its emulator, so a switched-on fault is not forgotten. */
export const renderFaultBadge = (preset: ConnectorPreset | undefined): string => {
  const url = switchUrlOf(preset);
  const fault = url === undefined ? undefined : emulatorFaultAt(url);
  return fault === undefined
    ? ''
    : ` <span class="badge fault" data-testid="card-fault" data-fault="${fault}">fault: ${faultBadgeText[fault]}</span>`;
};

/** The panel on a connector page; empty for a connector with no emulator at all. */
export const renderFaultsPanel = (
  connector: DiscoveredConnector,
  preset: ConnectorPreset | undefined,
): string => {
  if (preset === undefined) {
    return '';
  }
  const url = switchUrlOf(preset);
  if (url === undefined) {
    return `<section class="panel" id="${faultsAnchor}" data-testid="faults"><h2>Faults</h2><p class="muted">${escapeHtml(preset.emulatorName)} has no fault switch (faults are for the HTTP emulators the playground runs itself).</p></section>`;
  }
  const current = emulatorFaultAt(url);
  const options = [
    `<option value="none"${current === undefined ? ' selected' : ''}>None: answers as the provider would</option>`,
    ...emulatorFaults.map(
      (fault) =>
        `<option value="${fault}"${fault === current ? ' selected' : ''}>${escapeHtml(emulatorFaultDescriptions[fault])}</option>`,
    ),
  ].join('');
  const state =
    current === undefined
      ? '<p class="muted" data-testid="fault-state" data-fault="none">No fault: the emulator answers normally.</p>'
      : `<p class="notice" data-testid="fault-state" data-fault="${current}">On at ${escapeHtml(preset.emulatorName)} for every connector that uses it: ${escapeHtml(emulatorFaultDescriptions[current])}. Run the connector to see the error it gives.</p>`;
  return `<section class="panel" id="${faultsAnchor}" data-testid="faults"><h2>Faults</h2>
<p class="muted">Make the emulator misbehave for the connector's calls (token, user info, send); your browser's visits to its pages pass untouched.</p>${state}
<form method="post" action="${escapeHtml(faultUrlOf(connector))}">
<div class="field"><label for="emulator-fault">Fault at ${escapeHtml(url)}</label><select id="emulator-fault" name="fault">${options}</select></div>
<button type="submit" data-testid="fault-apply">Apply</button>
</form></section>`;
};

/** `POST /connectors/<slug>/faults`: switches the fault, then back to the page's panel. */
export const answerFaultSwitch = async (
  site: PlaygroundSite,
  request: IncomingMessage,
  response: ServerResponse,
  connector: DiscoveredConnector,
) => {
  const url = switchUrlOf(site.presetOf(connector));
  const chosen = (await readForm(request)).get('fault') ?? 'none';
  if (url === undefined || (chosen !== 'none' && !isEmulatorFault(chosen))) {
    const problem =
      url === undefined
        ? `${connector.slug} runs against no emulator with a fault switch.`
        : `There is no fault "${chosen}"; choose one of ${emulatorFaults.join(', ')}.`;
    return sendHtml(
      response,
      400,
      page(
        'No such fault',
        `<h1>No such fault</h1><p>${escapeHtml(problem)}</p><p><a href="/connectors/${escapeHtml(connector.slug)}">Back</a></p>`,
      ),
    );
  }
  setEmulatorFault(url, chosen === 'none' ? undefined : (chosen as EmulatorFault));
  return redirect(response, `/connectors/${connector.slug}#${faultsAnchor}`);
};
