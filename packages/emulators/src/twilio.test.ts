import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from './twilio';

const account = 'AC0123456789abcdef0123456789abcdef';
const token = 'emulator-test-auth-token';
const service = 'MG0123456789abcdef0123456789abcdef';
let emulator: TwilioEmulator;

beforeAll(async () => {
  emulator = await startTwilioEmulator({ accounts: { [account]: token } });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.backend.reset());

const send = (params: Record<string, string>, credentials = `${account}:${token}`, sid = account) =>
  fetch(`${emulator.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params),
  });

const valid = { To: '+4512345678', MessagingServiceSid: service, Body: 'Your code is 1' };

describe('Twilio emulator', () => {
  it('creates a message and files it in the inbox', async () => {
    const response = await send(valid);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'accepted', to: '+4512345678' });
    expect(emulator.inbox).toMatchObject([
      { provider: 'twilio', to: '+4512345678', text: 'Your code is 1', template: 'Body' },
    ]);
  });

  it.each([
    ['a wrong token', () => send(valid, `${account}:nope`), 401, 20003],
    ['another account in the path', () => send(valid, undefined, 'ACother'), 404, 20404],
    ['a number without +', () => send({ ...valid, To: '4512345678' }), 400, 21211],
    ['no body', () => send({ ...valid, Body: '' }), 400, 21602],
    ['an unknown service', () => send({ ...valid, MessagingServiceSid: 'MGx' }), 400, 21705],
  ])('answers %s with Twilio error body', async (_, call, status, code) => {
    const response = await call();
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(
      expect.objectContaining({
        code,
        status,
        more_info: `https://www.twilio.com/docs/errors/${code}`,
      }),
    );
    expect(emulator.inbox).toHaveLength(0);
  });

  it('answers a forced error once, with Retry-After for 20429', async () => {
    emulator.backend.forceError(20429);
    const limited = await send(valid);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
    expect((await send(valid)).status).toBe(201);
  });

  it('offers a ready connector config pointing at itself', () => {
    expect(emulator.connectorConfig).toMatchObject({
      accountSID: account,
      authToken: token,
      endpoint: emulator.url,
    });
  });
});
