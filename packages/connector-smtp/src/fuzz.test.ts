import { type SmtpSink, startSmtpSink } from '@idplug/emulators';
import { describeEmailConnectorFuzz } from '@idplug/testing';
import { ConnectorError, type EmailConnector, TemplateType } from '@logto/connector-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import createSmtpConnector from './index';
import { closeAllPools } from './transport-pool';

const password = 'fuzz-smtp-password-value';
let sink: SmtpSink;

// A real SMTP server on loopback with AUTH: every message that passes the checks is delivered.
beforeAll(async () => {
  sink = await startSmtpSink({ auth: { user: 'mailer', pass: password } });
});
afterAll(async () => {
  closeAllPools();
  await sink.stop();
});

describeEmailConnectorFuzz({
  connector: 'smtp',
  create: async (config) =>
    (await createSmtpConnector({ getConfig: async () => config })) as EmailConnector,
  validConfig: () => ({
    host: sink.host,
    port: sink.port,
    secure: false,
    auth: { user: 'mailer', pass: password },
    fromEmail: 'noreply@example.com',
    templates: [
      { usageType: 'Generic', contentType: 'text/plain', subject: 'Code', content: '{{code}}' },
    ],
    connectionTimeout: 2000,
    greetingTimeout: 2000,
    socketTimeout: 2000,
  }),
  secrets: [password],
  // Any other host would be a DNS lookup: the real network.
  fixedConfigKeys: ['host'],
  numRuns: 40,
});

// Found by the config property above: a port outside 1-65535 (or not an integer) makes Node's
// net.connect throw synchronously inside nodemailer's pool (a setImmediate), an uncaught
// exception that would take Logto's process down, while the send itself hangs until its
// deadline. Such a config never worked (the official guard accepts any number, but no socket
// can use it), so it should be refused as invalid_config when the config is read.
describe('ports no socket can use', () => {
  for (const port of [-1, 65_536, 587.5]) {
    it(`refuses port ${port} with invalid_config, not an uncaught exception`, async () => {
      const connector = (await createSmtpConnector({
        getConfig: async () => ({
          host: '127.0.0.1',
          port,
          fromEmail: 'noreply@example.com',
          templates: [{ usageType: 'Generic', subject: 'Code', content: '{{code}}' }],
          sendTimeout: 1000,
        }),
      })) as EmailConnector;
      const error = await connector
        .sendMessage({ to: 'ada@example.com', type: TemplateType.Generic, payload: { code: '1' } })
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code).toBe('invalid_config');
      expect((error as ConnectorError).message).toMatch(/port/);
    });
  }
});
