import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTwilioBackend, twilioHandlers } from '@idplug/emulators';
import { createSendTestKit, smsTestMessage, useProviderMock } from '@idplug/testing';
import type { SmsConnector } from '@logto/connector-kit';
import { HttpResponse, http, passthrough } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import createTwilioSmsConnector from './index';

const accountSID = 'AC0123456789abcdef0123456789abcdef';
const authToken = 'twilio-auth-token-9f8e7d6c5b4a';
const messagingService = 'MG0123456789abcdef0123456789abcdef';
const phone = '4512345678';

const config = {
  accountSID,
  authToken,
  fromMessagingServiceSID: messagingService,
  templates: [
    { usageType: 'Generic', content: 'Your code is {{code}}' },
    { usageType: 'SignIn', content: 'Sign-in code: {{code}}' },
  ],
};

const backend = createTwilioBackend({ accounts: { [accountSID]: authToken } });
// msw answers Twilio's real URL from the emulator; any other request fails the test.
const mock = useProviderMock(...twilioHandlers(backend));
const messagesUrl = `https://api.twilio.com/2010-04-01/Accounts/${accountSID}/Messages.json`;

beforeEach(() => backend.reset());

const basic = Buffer.from(`${accountSID}:${authToken}`).toString('base64');

const kit = createSendTestKit<SmsConnector>({
  create: createTwilioSmsConnector,
  config,
  message: { ...smsTestMessage, type: 'SignIn' },
  secrets: [authToken, basic, phone],
});
const send = (
  to: unknown,
  type = 'SignIn',
  payload: Record<string, unknown> = { code: '123456' },
  stored: unknown = config,
) => kit.send(stored, { to, type, payload });

const errorOf = kit.failure;

describe('Twilio SMS', () => {
  it('posts the rendered template, form-encoded, with Basic auth, under the account SID', async () => {
    await send('+4512345678');
    expect(backend.requests).toMatchObject([
      { path: `/2010-04-01/Accounts/${accountSID}/Messages.json`, authorization: `Basic ${basic}` },
    ]);
    expect(backend.messages[0]?.params).toEqual({
      To: '+4512345678',
      MessagingServiceSid: messagingService,
      Body: 'Sign-in code: 123456',
      RiskCheck: 'enable',
    });
    expect(backend.inbox).toMatchObject([
      { provider: 'twilio', to: '+4512345678', text: 'Sign-in code: 123456' },
    ]);
  });

  it('sends 4512345678, as Logto stores it, as +4512345678', async () => {
    await send(phone);
    expect(backend.messages[0]?.to).toBe('+4512345678');
  });

  it('sends RiskCheck=disable when disableRiskCheck is on', async () => {
    await send(phone, 'SignIn', { code: '1' }, { ...config, disableRiskCheck: true });
    expect(backend.messages[0]?.riskCheck).toBe('disable');
  });

  it('falls back to the Generic template', async () => {
    await send(phone, 'Register', { code: '42' });
    expect(backend.messages[0]?.body).toBe('Your code is 42');
  });

  it('refuses a recipient that is not one phone number before any request', async () => {
    for (const to of ['45 12 ab 34', '4512345678\r\n4587654321', '1234567890123456', '']) {
      expect((await errorOf(send(to))).code).toBe('invalid_request_parameters');
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('reports a usage type without a template and no Generic one as template_not_found', async () => {
    const error = await errorOf(
      send(phone, 'Register', {}, { ...config, templates: [config.templates[1]] }),
    );
    expect(error.code).toBe('template_not_found');
  });
});

describe('Twilio error codes', () => {
  it.each([
    [20003, 'invalid_config'],
    [21211, 'invalid_request_parameters'],
    [21614, 'invalid_request_parameters'],
    [21408, 'general'],
    [21610, 'general'],
    [20429, 'rate_limit_exceeded'],
    [21705, 'invalid_config'],
  ] as const)('maps error %i to %s with the more_info link', async (twilioCode, code) => {
    backend.forceError(twilioCode);
    const error = await errorOf(send(phone));
    expect(error.code).toBe(code);
    expect(error.data).toMatchObject({
      provider: 'Twilio',
      providerCode: String(twilioCode),
      errorUri: `https://www.twilio.com/docs/errors/${twilioCode}`,
    });
  });

  it('gives the reason of a region or opt-out refusal', async () => {
    backend.forceError(21408);
    expect(JSON.stringify((await errorOf(send(phone))).data)).toMatch(/Geo permissions/);
    backend.forceError(21610);
    expect(JSON.stringify((await errorOf(send(phone))).data)).toMatch(/replying STOP/);
  });

  it('reports a wrong Auth Token as invalid_config without the token or the Basic header', async () => {
    const error = await errorOf(
      send(phone, 'SignIn', {}, { ...config, authToken: 'wrong-token-1234' }),
    );
    expect(error.code).toBe('invalid_config');
    expect(JSON.stringify(error.data)).not.toContain('wrong-token-1234');
  });

  it('reports HTTP 429 without a Twilio code as rate_limit_exceeded, with Retry-After', async () => {
    mock.use(
      http.post(messagesUrl, () =>
        HttpResponse.text('Too many', { status: 429, headers: { 'retry-after': '12' } }),
      ),
    );
    const error = await errorOf(send(phone));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.data).toMatchObject({ retryAfter: 12 });
  });

  it('surfaces carrier filtering (30007) in the message', async () => {
    mock.use(
      http.post(messagesUrl, () =>
        HttpResponse.json(
          { sid: 'SM1', status: 'failed', error_code: 30007, error_message: 'Message filtered' },
          { status: 201 },
        ),
      ),
    );
    const error = await errorOf(send(phone));
    expect(error.code).toBe('general');
    expect((error.data as { message: string }).message).toMatch(/30007.*carrier filtered/);
    expect(error.data).toMatchObject({ errorUri: 'https://www.twilio.com/docs/errors/30007' });
  });

  it('masks the number Twilio echoes in its message', async () => {
    backend.forceError({
      code: 21211,
      status: 400,
      message: "Invalid 'To' Phone Number: +4512345678",
    });
    const error = await errorOf(send(phone));
    expect(JSON.stringify(error.data)).toContain("Invalid 'To' Phone Number: +******5678");
  });

  it('never retries a send: a 503 is one request and a general error', async () => {
    mock.use(http.post(messagesUrl, () => HttpResponse.text('unavailable', { status: 503 })));
    const error = await errorOf(send(phone));
    expect(error.code).toBe('general');
    expect(mock.requests).toHaveLength(1);
  });
});

describe('Twilio timeouts', () => {
  it('reports no answer within the timeout as general naming the host, without retrying', async () => {
    let received = 0;
    const silent = createServer(() => {
      received += 1;
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    // A real socket that never answers: msw lets this one request through.
    mock.use(http.all(`http://127.0.0.1:${port}/*`, () => passthrough()));
    try {
      const error = await errorOf(
        send(
          phone,
          'SignIn',
          {},
          { ...config, endpoint: `http://127.0.0.1:${port}`, timeout: 300 },
        ),
      );
      expect(error.code).toBe('general');
      expect((error.data as { message: string }).message).toBe(
        `127.0.0.1:${port} did not answer within 300 ms`,
      );
      // At most one request: a retry would make it two. On a loaded runner the 300 ms can run out
      // before the server has parsed the first request, so "exactly one" would be a timing guess.
      expect(received).toBeLessThanOrEqual(1);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
