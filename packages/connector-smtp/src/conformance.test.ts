import { fileURLToPath } from 'node:url';
import { describeConnectorConformance } from '@idplug/testing';
import createSmtpConnector from './index';

describeConnectorConformance({
  createConnector: createSmtpConnector,
  packageDirectory: fileURLToPath(new URL('..', import.meta.url)),
  // SMTP is not HTTP: msw cannot stop a hostile host name from being looked up.
  sendsOutsideHttp: true,
  validConfig: {
    // Nothing listens on port 9 of loopback (discard, never started in CI): a send fails fast.
    host: '127.0.0.1',
    port: 9,
    auth: { user: 'mailer@example.com', pass: 'conformance-smtp-password' },
    fromEmail: 'no-reply@example.com',
    templates: [
      {
        usageType: 'Generic',
        contentType: 'text/html',
        subject: 'Code',
        content: '<p>{{code}}</p>',
      },
    ],
    connectionTimeout: 1000,
  },
  secrets: ['conformance-smtp-password'],
});
