import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpExchangeMessage } from '@idplug/base';
import { ConnectorType, TemplateType } from '@logto/connector-kit';
import type { ConnectorState } from './browser-sessions';
import { describeError, startSignIn } from './connector-runs';
import type { DiscoveredConnector } from './discovery';
import { runConfigOf } from './emulators';
import {
  formValuesToConfig,
  playgroundConfigProblems,
  problemsOf,
  readFormValues,
  validateWithGuard,
} from './form';
import { readForm, redirect } from './http-messages';
import { recordSend, refreshSignInTokens } from './run-actions';
import { maskExchanges, recordingExchanges, runSecretsOf } from './run-timeline';
import { callbackUrlOf, configUsesEmulator, type PlaygroundSite, resultAnchorOf } from './site';
import { readSmsFormValues, sendTestSms } from './sms-test';
import { testSendOutcome } from './test-sends';

/**
 * What a connector page's form posts: `validate` (the config through the connector's guard),
 * `sign-in` (a social connector's authorization URL, then the browser goes there), `send` (an
 * email connector's test message) or `reset`. Each ends in a redirect to the page's result.
 * Beside the result, each action leaves its run's details (`state.run`): the requests it made,
 * the validated config for Logto, and after a sign-in the refresh of its tokens. The panels of
 * those details post `reveal-config` / `hide-config` and `refresh` on their own.
 */

const startSocialSignIn = async (
  site: PlaygroundSite,
  request: IncomingMessage,
  response: ServerResponse,
  connector: DiscoveredConnector,
  state: ConnectorState,
  config: Record<string, unknown>,
) => {
  const exchanges: HttpExchangeMessage[] = [];
  try {
    state.pending = await recordingExchanges(exchanges, () =>
      startSignIn(
        connector,
        config,
        site.presetOf(connector),
        callbackUrlOf(site, connector),
        request.headers['user-agent'],
      ),
    );
    // The callback continues the timeline (sign-in-callback.ts).
    state.pending.exchanges = exchanges;
    delete state.result;
    // A Location header must be one absolute URL; anything else is the connector's bug to show.
    new URL(state.pending.authorizationUri);
    if (/[\r\n]/.test(state.pending.authorizationUri)) {
      throw new Error('getAuthorizationUri returned a URL with a line break');
    }
    return redirect(response, state.pending.authorizationUri);
  } catch (error) {
    delete state.pending;
    state.result = { kind: 'failed', during: 'getAuthorizationUri', error: describeError(error) };
    state.run = {
      ...state.run,
      timeline: {
        calls: ['getAuthorizationUri'],
        exchanges: maskExchanges(
          exchanges,
          runSecretsOf({ config, formItems: connector.metadata.formItems }),
        ),
      },
    };
    return redirect(response, resultAnchorOf(connector));
  }
};

const sendEmail = async (
  site: PlaygroundSite,
  connector: DiscoveredConnector,
  state: ConnectorState,
  config: Record<string, unknown>,
) => {
  const email = state.email!;
  state.result = await testSendOutcome(site, connector, config, email, (sent) => ({
    kind: 'sent',
    to: email.to,
    usageType: email.usageType,
    locale: email.locale,
    ...sent,
  }));
  // The code stays as it was sent: the form keeps matching the message shown beside it.
};

export const submitConnectorForm = async (
  site: PlaygroundSite,
  request: IncomingMessage,
  response: ServerResponse,
  connector: DiscoveredConnector,
  state: ConnectorState,
) => {
  const body = await readForm(request);
  const action = body.get('action') ?? 'validate';
  const page = resultAnchorOf(connector);
  if (action === 'reset') {
    delete state.values;
    delete state.errors;
    delete state.result;
    delete state.email;
    delete state.sms;
    delete state.run;
    return redirect(response, `/connectors/${connector.slug}`);
  }
  // The panels beside the result post these on their own (no config fields come with them).
  if (action === 'reveal-config' || action === 'hide-config') {
    if (state.run?.logtoConfig) {
      state.run.revealConfig = action === 'reveal-config';
    }
    return redirect(response, `/connectors/${connector.slug}#logto-config`);
  }
  if (action === 'refresh' && connector.type === ConnectorType.Social) {
    await refreshSignInTokens(site, connector, state);
    return redirect(response, page);
  }

  const { formItems } = connector.metadata;
  const values = readFormValues(formItems, body);
  state.values = values;
  if (connector.type === ConnectorType.Email) {
    state.email = {
      to: body.get('email.to') ?? '',
      usageType: body.get('email.usageType') ?? TemplateType.Generic,
      locale: body.get('email.locale') ?? '',
      code: body.get('email.code') ?? '',
    };
  }
  if (connector.type === ConnectorType.Sms) {
    state.sms = readSmsFormValues(body);
  }
  const { config: formConfig, errors } = formValuesToConfig(formItems, values);
  const config = runConfigOf(site.presetOf(connector), formConfig);
  const guarded = validateWithGuard(connector.configGuard, config, formItems);
  // Every problem at once: the form's own (required, JSON, numbers) and the guard's on the others.
  const validation =
    Object.keys(errors).length > 0
      ? ({
          ok: false,
          errors: guarded.ok
            ? errors
            : {
                ...Object.fromEntries(
                  Object.entries(guarded.errors).filter(([key]) => !(key in errors)),
                ),
                ...errors,
              },
        } as const)
      : guarded;
  const unusable = validation.ok ? playgroundConfigProblems(formItems, config) : {};
  state.errors = validation.ok ? unusable : validation.errors;
  // A new action: its own run details, the config masked again until revealed.
  delete state.run;
  if (!validation.ok || Object.keys(unusable).length > 0) {
    state.result = {
      kind: 'invalid',
      guardAccepted: validation.ok,
      problems: problemsOf(formItems, state.errors),
    };
    return redirect(response, page);
  }

  // The config Logto would store: the one that passed the guard, as typed (the guard's parsed
  // value may hold transforms that do not parse again), for "Copy config for Logto".
  state.run = { logtoConfig: config };
  if (action === 'sign-in' && connector.type === ConnectorType.Social) {
    return startSocialSignIn(site, request, response, connector, state, config);
  }
  if (action === 'send' && connector.type === ConnectorType.Email) {
    await recordSend(connector, state, config, () => sendEmail(site, connector, state, config));
    return redirect(response, page);
  }
  if (action === 'send' && connector.type === ConnectorType.Sms) {
    await recordSend(connector, state, config, () => sendTestSms(site, connector, state, config));
    return redirect(response, page);
  }
  state.result = { kind: 'valid', parsed: validation.data };
  return redirect(response, page);
};

/**
 * `/connectors/<slug>/mode`: whether the form's current values talk to the emulator or to the real
 * provider, so the badge follows the form as it is edited (before any submit).
 */
export const answerConfigMode = async (
  site: PlaygroundSite,
  request: IncomingMessage,
  response: ServerResponse,
  connector: DiscoveredConnector,
) => {
  const body = await readForm(request);
  const { formItems } = connector.metadata;
  const { config } = formValuesToConfig(formItems, readFormValues(formItems, body));
  const preset = site.presetOf(connector);
  response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(
    JSON.stringify({
      mode: configUsesEmulator(preset, config) ? 'emulator' : 'real',
      emulatorName: preset?.emulatorName ?? null,
    }),
  );
};
