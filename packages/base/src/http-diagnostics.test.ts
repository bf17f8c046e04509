import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpClient } from './http';
import { type HttpExchangeMessage, httpExchangeChannelName } from './http-diagnostics';
import { SecretRedactor } from './secrets';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const tokenUrl = 'https://provider.example/token';
const userUrl = 'https://provider.example/user';
const clientSecret = 'client-secret-of-the-diagnostics-test';
const accessToken = 'gho_AccessTokenOfTheDiagnosticsTest0123';
const code = 'one-time-code-4711';

/** Collects what `idplug:http` publishes while `run` runs, then unsubscribes. */
const published = async (run: () => Promise<unknown>): Promise<HttpExchangeMessage[]> => {
  const messages: HttpExchangeMessage[] = [];
  const listener = (message: unknown) => {
    messages.push(message as HttpExchangeMessage);
  };
  subscribe(httpExchangeChannelName, listener);
  try {
    await run().catch(() => undefined);
  } finally {
    unsubscribe(httpExchangeChannelName, listener);
  }
  return messages;
};

describe('the idplug:http diagnostics channel', () => {
  it('publishes each exchange with its method, URL, status and duration, and no secret', async () => {
    server.use(
      http.post(tokenUrl, () =>
        HttpResponse.json(
          { access_token: accessToken, token_type: 'bearer' },
          { headers: { 'set-cookie': 'session=abc123456789' } },
        ),
      ),
      http.get(userUrl, () => HttpResponse.json({ id: 1, login: 'alice' })),
    );
    const client = createHttpClient({
      providerName: 'Provider',
      redactor: new SecretRedactor([clientSecret]),
    });
    const messages = await published(async () => {
      await client.request({
        url: tokenUrl,
        purpose: 'token',
        form: { grant_type: 'authorization_code', code, client_secret: clientSecret },
      });
      await client.request({
        url: userUrl,
        purpose: 'userinfo',
        headers: { authorization: `Bearer ${accessToken}` },
      });
    });

    expect(messages).toHaveLength(2);
    const [token, user] = messages;
    expect(token).toMatchObject({
      provider: 'Provider',
      purpose: 'token',
      method: 'POST',
      url: tokenUrl,
      attempt: 1,
      response: { status: 200 },
    });
    expect(token!.durationMs).toBeGreaterThanOrEqual(0);
    expect(token!.startedAt).toBeLessThanOrEqual(Date.now());
    expect(token!.request.body).toContain('grant_type=authorization_code');
    expect(token!.response!.body).toContain('"token_type":"bearer"');
    expect(token!.response!.headers['set-cookie']).toBe('[redacted]');
    expect(user).toMatchObject({ method: 'GET', url: userUrl, response: { status: 200 } });
    expect(user!.request.headers.authorization).toBe('Bearer [redacted]');
    expect(user!.response!.body).toContain('"login":"alice"');

    const text = JSON.stringify(messages);
    for (const secret of [clientSecret, accessToken, code, 'abc123456789']) {
      expect(text).not.toContain(secret);
    }
  });

  it('publishes a failed attempt with a redacted error and no response', async () => {
    server.use(http.post(tokenUrl, () => HttpResponse.error()));
    const client = createHttpClient({ timeoutMs: 2000 });
    const [message, ...others] = await published(() =>
      client.request({ url: tokenUrl, purpose: 'token', form: { code } }),
    );
    expect(others).toEqual([]);
    expect(message).toMatchObject({ method: 'POST', url: tokenUrl });
    expect(message!.response).toBeUndefined();
    expect(message!.error).toEqual(expect.any(String));
    expect(JSON.stringify(message)).not.toContain(code);
  });

  it('publishes one message per attempt of a retried read', async () => {
    let calls = 0;
    server.use(
      http.get(userUrl, () => {
        calls++;
        return calls === 1
          ? new HttpResponse('busy', { status: 503 })
          : HttpResponse.json({ id: 1 });
      }),
    );
    const client = createHttpClient({ timeoutMs: 5000 });
    const messages = await published(() => client.request({ url: userUrl, purpose: 'api' }));
    expect(messages.map(({ attempt, response }) => [attempt, response?.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
  });

  it('never changes the call’s outcome when its message cannot be built', async () => {
    server.use(http.get(userUrl, () => HttpResponse.json({ id: 1 })));
    const redactor = new SecretRedactor([clientSecret]);
    const client = createHttpClient({ redactor });
    const redactText = vi.spyOn(redactor, 'redactText').mockImplementation(() => {
      throw new Error('cannot redact');
    });
    try {
      let answer: unknown;
      const messages = await published(async () => {
        answer = (await client.request({ url: userUrl, purpose: 'api' })).body;
      });
      expect(answer).toEqual({ id: 1 });
      expect(messages).toEqual([]);
    } finally {
      redactText.mockRestore();
    }
  });

  it('builds and publishes nothing while nobody subscribes', async () => {
    server.use(http.get(userUrl, () => HttpResponse.json({ id: 1 })));
    const redactor = new SecretRedactor([clientSecret]);
    const client = createHttpClient({ redactor });
    const exchanges = channel(httpExchangeChannelName);
    const publish = vi.spyOn(exchanges, 'publish');
    // A successful read redacts nothing of its own: any redaction would be a message being built.
    const redactText = vi.spyOn(redactor, 'redactText');
    try {
      expect(exchanges.hasSubscribers).toBe(false);
      await client.request({ url: userUrl, purpose: 'api' });
      expect(publish).not.toHaveBeenCalled();
      expect(redactText).not.toHaveBeenCalled();
    } finally {
      publish.mockRestore();
      redactText.mockRestore();
    }
    // A subscriber added afterwards sees what happens from then on.
    const later = await published(() => client.request({ url: userUrl, purpose: 'api' }));
    expect(later).toHaveLength(1);
  });
});
