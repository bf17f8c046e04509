import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installFaultSwitch } from './emulator-faults';

/**
 * The small HTTP pieces the provider emulators (GitHub, Google) share: pages a browser can click
 * through, JSON answers, request bodies, constant-time secret checks, and loopback servers that
 * listen on a free port and stop without leaving connections open.
 */

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const pageStyle =
  'body{font:16px system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem}button{display:block;width:100%;margin:.4rem 0;padding:.6rem;font:inherit;cursor:pointer}button.secondary{background:none}code{background:#f3f3f3;padding:0 .2rem}';

/** An HTML page titled `<title> · <emulator>`; `extraStyle` adds CSS rules after the shared ones. */
export const sendHtml = (
  response: ServerResponse,
  emulator: string,
  status: number,
  title: string,
  body: string,
  extraStyle = '',
): void => {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · ${escapeHtml(emulator)}</title>
<style>${pageStyle}${extraStyle}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`);
};

export const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(JSON.stringify(body));
};

export const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** Compares a presented secret without leaking its length-prefix match through timing. */
export const safeEqual = (left: string, right: string): boolean => {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Listens on 127.0.0.1 (port 0: a free one), behind a fault switch (emulator-faults.ts) that stays
 * off unless the playground or a test turns a fault on.
 */
export const listenOnLoopback = (server: Server, port: number): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    installFaultSwitch(server);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });

/** Stops a server, closing kept-alive connections too, so a test run can exit. */
export const stopServer = async (server: Server): Promise<void> => {
  if (!server.listening) {
    return;
  }
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
};
