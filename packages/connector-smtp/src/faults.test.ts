import { describeSmtpFaultMatrix } from '@idplug/testing';
import { type EmailConnector, TemplateType } from '@logto/connector-kit';
import { afterAll } from 'vitest';
import createSmtpConnector from './index';
import { closeAllPools } from './transport-pool';

const password = 'fault-matrix-smtp-password';
const timeoutMs = 1000;

afterAll(() => closeAllPools());

describeSmtpFaultMatrix({
  connector: 'smtp',
  timeoutMs,
  secrets: [password],
  send: async ({ host, port }) => {
    const connector = (await createSmtpConnector({
      getConfig: async () => ({
        host,
        port,
        secure: false,
        auth: { user: 'mailer', pass: password },
        fromEmail: 'noreply@example.com',
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        sendTimeout: timeoutMs,
        templates: [
          { usageType: 'Generic', contentType: 'text/plain', subject: 'Code', content: '{{code}}' },
        ],
      }),
    })) as EmailConnector;
    return connector.sendMessage({
      to: 'ada@example.com',
      type: TemplateType.Generic,
      payload: { code: '123456' },
    });
  },
});
