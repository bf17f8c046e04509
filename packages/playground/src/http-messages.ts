import type { IncomingMessage, ServerResponse } from 'node:http';

/** The playground's HTTP plumbing: reading a posted form, answering with a page or a redirect. */

const maxFormBytes = 1024 * 1024;

export const readForm = async (request: IncomingMessage): Promise<URLSearchParams> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxFormBytes) {
      throw new Error('The form is larger than 1 MiB');
    }
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

export const sendHtml = (response: ServerResponse, status: number, html: string) => {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // Pages are the playground's own markup; received emails render in a sandboxed iframe.
    'content-security-policy':
      "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; frame-src 'self'; form-action *; base-uri 'none'",
  });
  response.end(html);
};

export const redirect = (response: ServerResponse, location: string) => {
  response.writeHead(303, { location, 'cache-control': 'no-store' });
  response.end();
};
