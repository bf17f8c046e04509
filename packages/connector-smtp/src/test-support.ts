import { type SmtpSink, startSmtpSink } from '@idplug/emulators';
import {
  ConnectorError,
  type EmailConnector,
  type SendMessageData,
  TemplateType,
} from '@logto/connector-kit';
import { afterEach, expect } from 'vitest';
import { microsoft365SmtpScope } from './client-credentials-token';
import createSmtpConnector from './index';
import { closeAllPools } from './transport-pool';

/** Test plumbing shared by the connector's sink-backed tests. */

export const credentials = { user: 'mailer@example.com', pass: 'sink-password-7f3a9c' };

const sinks: SmtpSink[] = [];

/** Starts an SMTP sink stopped (with every pool closed) after the test. */
export const startSink = async (options: Parameters<typeof startSmtpSink>[0] = {}) => {
  const sink = await startSmtpSink(options);
  sinks.push(sink);
  return sink;
};

/** Registers the clean-up of sinks and pools; call once at the top of a test file. */
export const stopSinksAfterEach = () => {
  afterEach(async () => {
    closeAllPools();
    await Promise.all(sinks.splice(0).map((sink) => sink.stop()));
  });
};

/**
 * An Exchange Online-like SMTP server: XOAUTH2 only for `mailbox`, with a live token that `verify`
 * (the token issuer) vouches was issued to `clientId` for the Microsoft 365 SMTP scope; the first
 * `refuseFirst` logins are refused all the same (a revoked token, say).
 */
export const startExchangeLikeSink = ({
  mailbox,
  clientId,
  verify,
  refuseFirst = 0,
}: {
  mailbox: string;
  clientId: string;
  verify: (accessToken: string) => Promise<{ clientId: string; scope?: string } | undefined>;
  refuseFirst?: number;
}) => {
  let refusals = refuseFirst;
  return startSink({
    verifyXOAuth2: async (user, accessToken) => {
      const token = await verify(accessToken);
      if (refusals > 0) {
        refusals -= 1;
        return false;
      }
      return (
        user === mailbox &&
        token?.clientId === clientId &&
        (token.scope ?? '').split(' ').includes(microsoft365SmtpScope)
      );
    },
  });
};

export const templates = [
  {
    usageType: 'Generic',
    contentType: 'text/plain',
    subject: 'Your code',
    content: 'Your code is {{code}}.',
  },
];

/** A config for a sink: AUTH when the sink has it, its CA trusted when it speaks TLS. */
export const configFor = (sink: SmtpSink, overrides: Record<string, unknown> = {}) => ({
  host: sink.host,
  port: sink.port,
  auth: credentials,
  fromEmail: 'no-reply@example.com',
  templates,
  connectionTimeout: 2000,
  greetingTimeout: 2000,
  ...(sink.tls && { tls: { ca: sink.tls.ca } }),
  ...overrides,
});

export const load = async (config: unknown) =>
  (await createSmtpConnector({ getConfig: async () => config })) as EmailConnector;

export const message = (to = 'person@example.org'): SendMessageData =>
  ({ to, type: TemplateType.Generic, payload: { code: '123456' } }) as SendMessageData;

/** The ConnectorError a failing send throws. */
export const failureOf = async (send: Promise<unknown>): Promise<ConnectorError> => {
  const error = await send.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
};

export const messageOf = (error: ConnectorError) => (error.data as { message: string }).message;
