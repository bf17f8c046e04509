import type {
  AllConnector,
  ConnectorError,
  CreateConnector,
  EmailConnector,
  GetI18nEmailTemplate,
} from '@logto/connector-kit';
import { expectConnectorError } from './expect-connector-error';
import { describeFaultMatrix, type FaultMatrixOptions } from './faults/fault-matrix';
import type { Fault } from './faults/fault-server';

/**
 * What every test of an email or SMS connector repeats, written once: load the connector from a
 * stored config the way Logto does, send one message with defaults a test overrides field by
 * field, and catch a failure that must be a `ConnectorError` showing no secret. Plus the fault
 * matrix of a connector whose one operation is a send.
 */

/** The message Logto hands `sendMessage`; a test overrides any field. */
export type TestMessage = {
  to: unknown;
  type: string;
  payload: Record<string, unknown>;
  /** The end user's IP address (connector-kit's optional `ip`). */
  ip?: string;
};

/** A sign-in code email to an ordinary address. */
export const emailTestMessage: TestMessage = {
  to: 'person@example.com',
  type: 'SignIn',
  payload: { code: '123456' },
};

/** A sign-in code SMS to a Danish number written without `+`, as Logto passes it. */
export const smsTestMessage: TestMessage = {
  to: '4512345678',
  type: 'SignIn',
  payload: { code: '123456' },
};

/** A connector that sends: the one method the kit calls. */
type Sender = { sendMessage: (...data: never[]) => Promise<unknown> };

export type SendTestKitOptions = {
  /** The package's default export, as Logto loads it. */
  create: CreateConnector<AllConnector>;
  /** The stored config `load` and `send` use when a test passes none. */
  config: unknown;
  /** The message `send` sends when a test overrides nothing. */
  message: TestMessage;
  /** Values no error may show, whole or as a prefix (API keys, tokens, signing secrets). */
  secrets: readonly string[];
};

export type SendTestKit<Connector extends Sender = EmailConnector> = {
  /** The connector Logto would build from `stored`. */
  load: (stored?: unknown, getI18nEmailTemplate?: GetI18nEmailTemplate) => Promise<Connector>;
  /** Sends the default message with `data`'s fields replacing its own. */
  send: (stored?: unknown, data?: Partial<TestMessage>) => Promise<unknown>;
  /** Awaits a promise that must reject with a `ConnectorError` showing none of the secrets. */
  failure: (promise: Promise<unknown>) => Promise<ConnectorError>;
};

export const createSendTestKit = <Connector extends Sender = EmailConnector>(
  options: SendTestKitOptions,
): SendTestKit<Connector> => {
  const load: SendTestKit<Connector>['load'] = async (
    stored = options.config,
    getI18nEmailTemplate,
  ) =>
    (await options.create({
      getConfig: async () => stored,
      getI18nEmailTemplate: getI18nEmailTemplate ?? (async () => undefined),
    } as never)) as unknown as Connector;

  return {
    load,
    send: async (stored = options.config, data = {}) =>
      (await load(stored)).sendMessage({ ...options.message, ...data } as never),
    // The same check as every other connector test's, the code left to the test's own assertion.
    failure: (promise) => expectConnectorError(promise, { secrets: options.secrets }),
  };
};

/** The message a provider's error carries (`data.message`), for assertions on its wording. */
export const errorMessageOf = (error: ConnectorError): string =>
  (error.data as { message?: string } | undefined)?.message ?? error.message;

/**
 * The faults a send API fails on whatever it does with a success body: a provider whose 2xx body
 * is read only when it parses (a message id) treats a garbled 200 as sent, as the official
 * connectors do, so the body-shape faults are no failures there.
 */
export const sendFailureFaults: readonly Fault[] = [
  'no-response',
  'slow-body',
  'reset-mid-body',
  'html-500',
  'html-502',
  'html-503',
  'rate-limited',
  'oversized-body',
  'redirect-loop',
];

export type SendFaultMatrixOptions = Omit<FaultMatrixOptions, 'operations' | 'timeoutMs'> & {
  create: CreateConnector<AllConnector>;
  /** The stored config that sends to `providerUrl` with the given deadline. */
  config: (providerUrl: string, timeoutMs: number) => unknown;
  message: TestMessage;
  /** The deadline of the cells about time (see `FaultMatrixOptions.timeoutMs`). @default 1000 */
  timeoutMs?: number;
};

/** The fault matrix of a connector whose one operation is sending `message`. */
export const describeSendFaultMatrix = ({
  create,
  config,
  message,
  timeoutMs = 1000,
  ...matrix
}: SendFaultMatrixOptions) =>
  describeFaultMatrix({
    ...matrix,
    timeoutMs,
    operations: [
      {
        name: 'send',
        run: async (providerUrl, cellTimeoutMs) =>
          createSendTestKit({
            create,
            config: config(providerUrl, cellTimeoutMs),
            message,
            secrets: matrix.secrets,
          }).send(),
      },
    ],
  });
