import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import startSesV2Local from 'aws-ses-v2-local';
import { stopServer } from './emulator-http';

/**
 * Amazon SES v2 through `aws-ses-v2-local`, the SES v2 emulator on npm, on 127.0.0.1 and a free
 * port. It requires an `Authorization: AWS4-...` header but checks no signature (the connector's
 * signature is proven against an independent signer instead), validates SendEmail's shape and
 * keeps what it accepted in a store read through `GET /store`.
 */

export type SesStoredEmail = {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
};

export type AwsSesEmulator = {
  /** `http://127.0.0.1:<port>`, the connector's `endpoint`. */
  url: string;
  port: number;
  /** A connector config sending through it. */
  config: Record<string, unknown>;
  /** The messages the emulator accepted since it started (its store is per process). */
  messages: () => Promise<SesStoredEmail[]>;
  stop: () => Promise<void>;
};

// The package is CommonJS with `exports.default`; loaded from ESM its default is the module object.
const startServer = ((startSesV2Local as unknown as { default?: unknown }).default ??
  startSesV2Local) as (config: { host: string; port: number }) => Promise<Server>;

export const startAwsSesEmulator = async (): Promise<AwsSesEmulator> => {
  const server = await startServer({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const startedAt = Math.floor(Date.now() / 1000);
  await fetch(`${url}/clear-store`, { method: 'POST' });
  return {
    url,
    port,
    config: {
      accessKeyId: 'AKIAEMULATOR000000',
      accessKeySecret: 'emulator-secret-access-key',
      region: 'us-east-1',
      emailAddress: 'no-reply@example.com',
      endpoint: url,
      templates: [
        {
          usageType: 'Generic',
          subject: 'Your verification code',
          content: '<p>Your verification code is <strong>{{code}}</strong>.</p>',
        },
      ],
    },
    messages: async () => {
      const response = await fetch(`${url}/store?since=${startedAt}`);
      return ((await response.json()) as { emails: SesStoredEmail[] }).emails;
    },
    stop: () => stopServer(server),
  };
};
