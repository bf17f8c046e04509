import { randomInt } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { TemplateType } from '@logto/connector-kit';
import type { ConnectorState } from './browser-sessions';
import { compareNoteFor } from './compare/compare-view';
import type { DiscoveredConnector } from './discovery';
import { renderFaultsPanel } from './faults';
import { formValuesToConfig, initialFormValues } from './form';
import { sendHtml } from './http-messages';
import { type EmailFormValues, renderConnectorPage } from './pages';
import { callbackUrlOf, configUsesEmulator, type PlaygroundSite } from './site';
import { defaultSmsValues } from './sms-test';

/** A connector's page: its form (the browser's values, else the emulator preset's) and last result. */

/** A six-digit verification code, as Logto sends one. */
export const randomCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

const defaultEmail = (): EmailFormValues => ({
  to: 'alice@example.com',
  usageType: TemplateType.Generic,
  locale: 'en',
  code: randomCode(),
});

export const showConnectorPage = (
  site: PlaygroundSite,
  response: ServerResponse,
  connector: DiscoveredConnector,
  state: ConnectorState,
) => {
  const preset = site.presetOf(connector);
  const values =
    state.values ?? initialFormValues(connector.metadata.formItems, preset?.config ?? {});
  const { config } = formValuesToConfig(connector.metadata.formItems, values);
  sendHtml(
    response,
    200,
    renderConnectorPage({
      connector,
      preset,
      values,
      errors: state.errors ?? {},
      currentConfigUsesEmulator: configUsesEmulator(preset, config),
      callbackUrl: callbackUrlOf(site, connector),
      previousCallbackUrl:
        site.previousBaseUrl && `${site.previousBaseUrl}/callback/${connector.slug}`,
      email: state.email ?? defaultEmail(),
      sms: state.sms ?? defaultSmsValues(randomCode()),
      result: state.result,
      run: state.run,
      faultsPanel: renderFaultsPanel(connector, preset),
      compareNote: site.compare && compareNoteFor(connector),
    }),
  );
};
