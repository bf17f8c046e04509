import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import { type HttpExchangeMessage, httpExchangeChannelName } from '@idplug/base';
import type { ConnectorConfigFormItem, TokenResponse } from '@logto/connector-kit';
import { maskSecrets, maskSecretsInText, secretValuesOf } from './masking';

/**
 * The request timeline of a run: every HTTP exchange the connector made while the playground ran
 * one of its calls, as `@idplug/base` publishes them on the `idplug:http` diagnostics channel
 * (already redacted by the connector's own redactor), masked again here with what the playground
 * knows of the run (config secrets, the tokens and code it saw) before a page shows them.
 *
 * Why the channel and not a fetch of the playground's own handed to each connector: connectors
 * take no such option (Logto gives them none), each connector package may load its own copy of
 * base (source or built), and a channel is one per process by name, so every copy reaches the
 * same subscriber without any connector wiring anything. Why `AsyncLocalStorage`: the playground
 * serves several browsers (and tests) at once, and a channel's subscribers run synchronously in
 * the publisher's async context, so the store of the run that made the call is the current one.
 */

/** One exchange as the page shows it: masked, bodies cut to `maxShownBodyLength`. */
export type TimelineExchange = Omit<HttpExchangeMessage, 'request' | 'response'> & {
  request: { headers: Record<string, string>; body?: ShownBody };
  response?: { status: number; headers: Record<string, string>; body: ShownBody };
};

export type ShownBody = {
  text: string;
  /** The length before the cut, when the body was longer than what is shown. */
  cutFrom?: number;
};

export type RunTimeline = {
  /** The connector calls the run made (`getAuthorizationUri`, `getTokenResponseAndUserInfo`...). */
  calls: string[];
  exchanges: TimelineExchange[];
};

/** A page stays readable (and fast) with a 2 MB JWKS in a run: longer bodies are cut. */
export const maxShownBodyLength = 8 * 1024;

const runExchanges = new AsyncLocalStorage<HttpExchangeMessage[]>();
let listening = false;

/**
 * Runs `run`, collecting into `into` the exchanges it makes (also when it throws). The channel is
 * subscribed to on the first run and stays so: the playground runs connectors until it stops, and
 * an exchange outside any run (none is expected) lands in no store.
 */
export const recordingExchanges = <Result>(
  into: HttpExchangeMessage[],
  run: () => Promise<Result>,
): Promise<Result> => {
  if (!listening) {
    subscribe(httpExchangeChannelName, (message) => {
      runExchanges.getStore()?.push(message as HttpExchangeMessage);
    });
    listening = true;
  }
  return runExchanges.run(into, run);
};

/** Keys of the form items Logto's console hides (`isConfidential`, a `Password` type). */
const confidentialKeysOf = (formItems: readonly ConnectorConfigFormItem[]) =>
  formItems
    .filter(
      (item) =>
        (item.type as string) === 'Password' ||
        (item as { isConfidential?: boolean }).isConfidential === true,
    )
    .map((item) => item.key);

/** What a run knows to be secret: the config's secrets and the tokens and codes it met. */
export const runSecretsOf = ({
  config,
  formItems = [],
  tokenResponses = [],
  callbackParameters,
  refreshToken,
}: {
  config: Record<string, unknown>;
  formItems?: readonly ConnectorConfigFormItem[];
  tokenResponses?: ReadonlyArray<TokenResponse | undefined>;
  callbackParameters?: Record<string, string>;
  refreshToken?: string;
}): string[] => [
  ...secretValuesOf(config),
  ...confidentialKeysOf(formItems).flatMap((key) => secretValuesOf(config[key], true)),
  ...tokenResponses.flatMap((tokens) =>
    [tokens?.access_token, tokens?.refresh_token, tokens?.id_token].filter(
      (token): token is string => typeof token === 'string',
    ),
  ),
  ...secretValuesOf(callbackParameters ?? {}),
  ...(refreshToken ? [refreshToken] : []),
];

/** A config with its secrets masked, confidential form items included whatever their key. */
export const maskConfig = (
  config: Record<string, unknown>,
  formItems: readonly ConnectorConfigFormItem[],
): Record<string, unknown> => {
  const masked = maskSecrets(config) as Record<string, unknown>;
  for (const key of confidentialKeysOf(formItems)) {
    if (key in config) {
      masked[key] = maskSecrets(config[key], true);
    }
  }
  return masked;
};

/** A body as shown: JSON pretty-printed with secret keys masked, then known secrets, then cut. */
const showBody = (body: string, secrets: readonly string[]): ShownBody => {
  let text = body;
  try {
    text = JSON.stringify(maskSecrets(JSON.parse(body)), null, 2);
  } catch {
    // Not JSON (a form, HTML, text): shown as it came, known secrets masked below.
  }
  // Masked in full before the cut, so no secret survives as a prefix where the text ends.
  const masked = maskSecretsInText(text, secrets);
  return masked.length > maxShownBodyLength
    ? { text: `${masked.slice(0, maxShownBodyLength)}…`, cutFrom: masked.length }
    : { text: masked };
};

const maskHeaders = (headers: Record<string, string>, secrets: readonly string[]) =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, maskSecretsInText(value, secrets)]),
  );

/** The exchanges of a run as a page may show them. */
export const maskExchanges = (
  messages: readonly HttpExchangeMessage[],
  secrets: readonly string[],
): TimelineExchange[] =>
  messages.map(({ request, response, url, error, ...rest }) => ({
    ...rest,
    url: maskSecretsInText(url, secrets),
    request: {
      headers: maskHeaders(request.headers, secrets),
      ...(request.body !== undefined && { body: showBody(request.body, secrets) }),
    },
    ...(response && {
      response: {
        status: response.status,
        headers: maskHeaders(response.headers, secrets),
        body: showBody(response.body, secrets),
      },
    }),
    ...(error !== undefined && { error: maskSecretsInText(error, secrets) }),
  }));
