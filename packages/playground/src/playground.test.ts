import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from './playground';

/**
 * The playground's HTTP side without a browser: a cookie jar of one cookie, redirects followed by
 * hand. The browser test covers the happy paths; these cover what a browser rarely does.
 */

let playground: Playground;

beforeAll(async () => {
  playground = await startPlayground();
}, 30_000);

afterAll(async () => {
  await playground?.stop();
});

const client = () => {
  let cookie: string | undefined;
  const request = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(new URL(path, playground.url), {
      ...init,
      redirect: 'manual',
      headers: { ...(cookie && { cookie }), ...(init.headers as Record<string, string>) },
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      cookie = setCookie.split(';')[0];
    }
    return response;
  };
  const submit = (slug: string, fields: Record<string, string>) =>
    request(`/connectors/${slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const resultOf = async (slug: string) => {
    const html = await (await request(`/connectors/${slug}`)).text();
    return /<section class="panel result[^"]*"[^>]*data-kind="([^"]+)"[\s\S]*?<\/section>/.exec(
      html,
    );
  };
  return { request, submit, resultOf };
};

const githubForm = () => {
  const github = playground.emulators.github;
  return {
    'config.clientId': github.app.clientId,
    'config.clientSecret': github.app.clientSecret,
    'config.scope': 'read:user user:email',
    'config.enterpriseUrl': github.baseUrl,
  };
};

/** Starts a GitHub sign-in and approves it at the emulator; returns the callback URL. */
const approveAtGithub = async (browser: ReturnType<typeof client>) => {
  const started = await browser.submit('github', { ...githubForm(), action: 'sign-in' });
  expect(started.status).toBe(303);
  const authorize = new URL(started.headers.get('location')!);
  expect(authorize.origin).toBe(playground.emulators.github.baseUrl);
  const page = await (await fetch(authorize)).text();
  const id = /name="authorization" value="([^"]+)"/.exec(page)![1]!;
  const decided = await fetch(`${playground.emulators.github.baseUrl}/login/oauth/authorize`, {
    method: 'POST',
    body: new URLSearchParams({ authorization: id, decision: 'allow' }),
    redirect: 'manual',
  });
  return new URL(decided.headers.get('location')!);
};

describe('the playground server', () => {
  it('binds 127.0.0.1 and lists the workspace connectors', async () => {
    expect(playground.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await fetch(`${playground.url}/health`)).json()) as {
      connectors: string[];
    };
    expect(health.connectors).toEqual(expect.arrayContaining(['github', 'google', 'smtp']));
  });

  it('signs in with a callback whose state matches the one it sent', async () => {
    const browser = client();
    const callback = await approveAtGithub(browser);
    const finished = await browser.request(`${callback.pathname}${callback.search}`);
    expect(finished.headers.get('location')).toBe('/connectors/github#result');
    const result = await browser.resultOf('github');
    expect(result?.[1]).toBe('signed-in');
    expect(result?.[0]).toContain('data-testid="user-email">alice@example.com<');
  });

  it('refuses a callback whose state is not the one it sent, before calling the connector', async () => {
    const browser = client();
    const callback = await approveAtGithub(browser);
    callback.searchParams.set('state', 'forged-state');
    await browser.request(`${callback.pathname}${callback.search}`);
    const result = await browser.resultOf('github');
    expect(result?.[1]).toBe('failed');
    expect(result?.[0]).toContain('CSRF check');
  });

  it('refuses a callback in a browser that started no sign-in', async () => {
    const starter = client();
    const callback = await approveAtGithub(starter);
    const stranger = client();
    await stranger.request(`${callback.pathname}${callback.search}`);
    expect((await stranger.resultOf('github'))?.[0]).toContain(
      'No sign-in is pending in this browser',
    );
  });

  it('keeps an invalid config in the form with the guard’s problem and does not redirect to the provider', async () => {
    const browser = client();
    const response = await browser.submit('github', {
      ...githubForm(),
      'config.enterpriseUrl': 'ftp://github.example.com',
      action: 'sign-in',
    });
    expect(response.headers.get('location')).toBe('/connectors/github#result');
    const html = await (await browser.request('/connectors/github')).text();
    expect(html).toContain('value="ftp://github.example.com"');
    expect(html).toMatch(/data-key="enterpriseUrl"[\s\S]*?must be an https:\/\/ URL/);
  });

  it('shows the real provider mode once the config leaves the emulator, and resets back to it', async () => {
    const browser = client();
    await browser.submit('github', {
      ...githubForm(),
      'config.enterpriseUrl': '',
      action: 'validate',
    });
    const edited = await (await browser.request('/connectors/github')).text();
    expect(edited).toContain('data-mode="real"');
    expect(edited).toContain('data-kind="valid"');
    await browser.submit('github', { action: 'reset' });
    expect(await (await browser.request('/connectors/github')).text()).toContain(
      'data-mode="emulator"',
    );
  });

  it('refuses forms posted from another origin and requests for another host', async () => {
    const crossSite = await fetch(`${playground.url}/connectors/smtp`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'action=send',
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    // fetch cannot set Host; node:http can, as a rebound DNS name would.
    const reboundStatus = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(playground.url);
      request(
        { host: url.hostname, port: url.port, path: '/', headers: { host: 'evil.example' } },
        (answer) => {
          answer.resume();
          resolve(answer.statusCode);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(reboundStatus).toBe(421);
  });

  it('answers 404 for an unknown connector', async () => {
    expect((await fetch(`${playground.url}/connectors/nope`)).status).toBe(404);
  });
});

describe('callbacks posted by the provider (response_mode=form_post)', () => {
  it('takes a form posted from the provider’s origin as the callback’s parameters, and still checks the state', async () => {
    const browser = client();
    const started = await browser.submit('apple', {
      'config.clientId': String(playground.emulators.apple.connectorConfig.clientId),
      'config.teamId': String(playground.emulators.apple.connectorConfig.teamId),
      'config.keyId': String(playground.emulators.apple.connectorConfig.keyId),
      'config.privateKey': String(playground.emulators.apple.connectorConfig.privateKey),
      action: 'sign-in',
    });
    expect(new URL(started.headers.get('location')!).origin).toBe(
      playground.emulators.apple.issuer,
    );
    // Posted by the provider's page, from its origin: not refused as a foreign form.
    const posted = await browser.request('/callback/apple', {
      method: 'POST',
      headers: {
        origin: playground.emulators.apple.issuer,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ code: 'forged', state: 'not-the-state' }).toString(),
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/connectors/apple#result');
    const result = await browser.resultOf('apple');
    expect(result?.[1]).toBe('failed');
    expect(result?.[0]).toContain('CSRF check');
  });
});

describe('the inbox page', () => {
  it('lists a test SMS sent from a connector page with the template that answered', async () => {
    const browser = client();
    const twilio = playground.emulators.twilio.connectorConfig;
    await browser.submit('twilio-sms', {
      'config.accountSID': String(twilio.accountSID),
      'config.authToken': String(twilio.authToken),
      'config.fromMessagingServiceSID': String(twilio.fromMessagingServiceSID),
      'config.templates': JSON.stringify([{ usageType: 'Generic', content: 'Code {{code}}' }]),
      'sms.to': '4512345678',
      'sms.usageType': 'ForgotPassword',
      'sms.code': '777111',
      action: 'send',
    });
    expect((await browser.resultOf('twilio-sms'))?.[1]).toBe('sms-sent');
    const inbox = await (await browser.request('/inbox')).text();
    const entry =
      /<li class="panel inbox-entry"[^>]*data-connector="twilio-sms">[\s\S]*?<\/li>/.exec(
        inbox,
      )?.[0];
    expect(entry).toContain('Code 777111');
    expect(entry).toContain('data-answered-by="generic"');
    expect(entry).toContain('no ForgotPassword template in the config');
  });
});
