import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature';

const secret = 'a-signing-secret-of-some-length';
const body = JSON.stringify({ to: '+4512345678', type: 'SignIn', payload: { code: '123456' } });

describe('webhook signature', () => {
  it('signs "<t>.<body>" with HMAC-SHA256, hex, timestamp first', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies its own signature within the tolerance', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000);
    expect(verifyWebhookSignature(secret, body, header, { now: 1_700_000_100 })).toBe(true);
  });

  it('refuses a changed body, another key, a replay past the tolerance and a malformed header', () => {
    const header = signWebhookBody(secret, body, 1_700_000_000);
    const now = 1_700_000_010;
    expect(verifyWebhookSignature(secret, `${body} `, header, { now })).toBe(false);
    expect(verifyWebhookSignature(`${secret}x`, body, header, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, { now: 1_700_000_301 })).toBe(false);
    expect(verifyWebhookSignature(secret, body, header.replace('v1=', 'v2='), { now })).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined, { now })).toBe(false);
  });
});
