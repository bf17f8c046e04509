import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { signWebhookBody } from '@idplug/base';
import { afterAll, describe, expect, it } from 'vitest';

// The receiver-side check the README documents, run as written: it must accept what the
// connector signs and refuse anything else.
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const section = readme.slice(readme.indexOf('## Verify the signature'));
const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
const directory = mkdtempSync(path.join(tmpdir(), 'http-sms-readme-'));
const modulePath = path.join(directory, 'verify.mjs');
writeFileSync(modulePath, snippet);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

type Verify = (secret: string, rawBody: string, header: string | undefined) => boolean;
const load = async () =>
  ((await import(pathToFileURL(modulePath).href)) as { isSignedByLogto: Verify }).isSignedByLogto;

const secret = 'readme-signing-secret-0123456789';
const body = JSON.stringify({ to: '4512345678', type: 'SignIn', payload: { code: '123456' } });

describe('the README verification snippet', () => {
  it('accepts a body the connector signed', async () => {
    expect(snippet).toContain('isSignedByLogto');
    expect((await load())(secret, body, signWebhookBody(secret, body))).toBe(true);
  });

  it('refuses a changed body, another key, an old timestamp or no header', async () => {
    const verify = await load();
    const old = Math.floor(Date.now() / 1000) - 3600;
    expect(verify(secret, `${body} `, signWebhookBody(secret, body))).toBe(false);
    expect(verify(secret, body, signWebhookBody('another-secret-0123456789', body))).toBe(false);
    expect(verify(secret, body, signWebhookBody(secret, body, old))).toBe(false);
    expect(verify(secret, body, undefined)).toBe(false);
  });
});
