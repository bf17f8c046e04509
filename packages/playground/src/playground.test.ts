import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A raw request with any Host header (fetch cannot set one). */
const requestWithHost = (path: string, host: string) =>
  new Promise<{ status: number | undefined; location: string | undefined }>((resolve, reject) => {
    const url = new URL(playground.url);
    request({ host: url.hostname, port: url.port, path, headers: { host } }, (answer) => {
      answer.resume();
      resolve({ status: answer.statusCode, location: answer.headers.location });
    })
      .on('error', reject)
      .end();
  });

/** The preset's form fields of a connector, as its page first shows them (switches left out). */
const presetFieldsOf = async (slug: string) => {
  const html = await (await fetch(`${playground.url}/connectors/${slug}`)).text();
  const decodeEntities = (text: string) =>
    text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(
    /<input id="[^"]+" name="(config\.[^"]+)" type="(?:text|password|number)"[^>]* value="([^"]*)"/g,
  )) {
    fields[name!] = decodeEntities(value!);
  }
  for (const [, name, value] of html.matchAll(
    /<textarea id="[^"]+" name="(config\.[^"]+)"[^>]*>([^<]*)<\/textarea>/g,
  )) {
    fields[name!] = decodeEntities(value!);
  }
  for (const [, name, options] of html.matchAll(
    /<select id="[^"]+" name="(config\.[^"]+)"[^>]*>([\s\S]*?)<\/select>/g,
  )) {
    const selected = /<option value="([^"]*)" selected>/.exec(options!);
    fields[name!] = decodeEntities(selected?.[1] ?? '');
  }
  return fields;
};

describe('the playground server, as a new user meets it (issue 20)', () => {
  it('moves a request for localhost to 127.0.0.1 before any flow, so cookies and callbacks match', async () => {
    const port = new URL(playground.url).port;
    const moved = await requestWithHost('/connectors/github?x=1', `localhost:${port}`);
    expect(moved).toEqual({ status: 307, location: `${playground.url}/connectors/github?x=1` });
    // The emulators registered the callback on the canonical host only.
    expect(playground.emulators.oidc.clients[0]?.redirectUris).toEqual([
      `${playground.url}/callback/oidc`,
    ]);
  });

  it('serves a favicon instead of a 404', async () => {
    const favicon = await fetch(`${playground.url}/favicon.ico`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await favicon.text()).toContain('<svg');
  });

  it('answers no 500 for any value typed into any field of any connector', async () => {
    const hostile = ['github.example.com', '%E0%A4%A', '{'];
    const browser = client();
    const statuses = new Set<number>();
    for (const connector of playground.connectors) {
      const keys = (connector.metadata.formItems ?? [])
        .filter((item) => ['Text', 'MultilineText', 'Number', 'Json', 'Select'].includes(item.type))
        .map((item) => `config.${item.key}`);
      const fields = await presetFieldsOf(connector.slug);
      for (const key of keys.length > 0 ? keys : ['config.__config']) {
        for (const value of hostile) {
          const answer = await browser.submit(connector.slug, {
            ...fields,
            [key]: value,
            action: 'validate',
          });
          statuses.add(answer.status);
          statuses.add((await browser.request(`/connectors/${connector.slug}`)).status);
        }
      }
    }
    expect([...statuses].sort()).toEqual([200, 303]);
  });

  it('names the fields of an invalid config and marks them aria-invalid, described by their problem', async () => {
    const browser = client();
    await browser.submit('github', {
      ...githubForm(),
      'config.clientId': '',
      'config.enterpriseUrl': 'github.example.com',
      action: 'sign-in',
    });
    const html = await (await browser.request('/connectors/github')).text();
    expect(html).toMatch(
      /<h2>The configuration is not valid: Client ID, GitHub Enterprise Server URL<\/h2>/,
    );
    expect(html).toContain('<a href="#field-enterpriseUrl">GitHub Enterprise Server URL</a>');
    expect(html).toMatch(
      /id="field-enterpriseUrl"[^>]*aria-describedby="field-enterpriseUrl-errors field-enterpriseUrl-hint" aria-invalid="true"/,
    );
    expect(html).toContain(
      '<ul class="field-errors" id="field-enterpriseUrl-errors" role="alert">',
    );
  });

  it('refuses private_key_jwt without a key before the provider round trip, naming the field', async () => {
    const browser = client();
    const fields = await presetFieldsOf('oidc');
    await browser.submit('oidc', {
      ...fields,
      'config.tokenEndpointAuthMethod': 'private_key_jwt',
      'config.clientPrivateKey': '',
      action: 'sign-in',
    });
    const result = await browser.resultOf('oidc');
    expect(result?.[1]).toBe('invalid');
    expect(result?.[0]).toContain('data-key="clientPrivateKey"');
    expect(result?.[0]).toContain("The connector's guard accepts it");
  });

  it('heads its own callback refusals as such, without the note about Logto answering 500', async () => {
    const browser = client();
    const callback = await approveAtGithub(browser);
    callback.searchParams.set('state', 'forged-state');
    await browser.request(`${callback.pathname}${callback.search}`);
    const result = (await browser.resultOf('github'))?.[0] ?? '';
    expect(result).toContain('<h2>The callback was refused</h2>');
    expect(result).toContain('data-by="playground"');
    expect(result).not.toContain('Logto would answer it with a 500');
  });

  it('says whether the form’s current values use the emulator, for the badge', async () => {
    const mode = async (fields: Record<string, string>) =>
      (await (
        await fetch(`${playground.url}/connectors/github/mode`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        })
      ).json()) as { mode: string };
    expect(await mode(githubForm())).toMatchObject({ mode: 'emulator' });
    expect(await mode({ ...githubForm(), 'config.enterpriseUrl': '' })).toMatchObject({
      mode: 'real',
    });
  });

  it('keeps the code it sent in the form, names the template, and resets the test message too', async () => {
    const browser = client();
    const fields = await presetFieldsOf('smtp');
    const email = {
      'email.to': 'dave@example.com',
      'email.usageType': 'BindMfa',
      'email.locale': 'en',
      'email.code': '271828',
    };
    await browser.submit('smtp', { ...fields, ...email, action: 'send' });
    const sent = await (await browser.request('/connectors/smtp')).text();
    expect(sent).toContain('data-kind="sent"');
    expect(sent).toContain('id="email-code" name="email.code" type="text" value="271828"');
    expect(sent).toContain('data-testid="template-report" data-answered-by="generic"');
    expect(sent).not.toContain('platform <code>null');
    await browser.submit('smtp', { action: 'reset' });
    const reset = await (await browser.request('/connectors/smtp')).text();
    expect(reset).toContain('id="email-to" name="email.to" type="email" value="alice@example.com"');
    expect(reset).not.toContain('value="271828"');
  });
});

describe('the playground’s port', () => {
  it('falls back to a free port when the one asked for is taken, and warns that the callback URL changed', async () => {
    const port = Number(new URL(playground.url).port);
    await expect(startPlayground({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const second = await startPlayground({
      port,
      fallbackToFreePort: true,
      previousBaseUrl: playground.url,
    });
    try {
      expect(second.portInUse).toBe(port);
      expect(second.url).not.toBe(playground.url);
      const page = await (await fetch(`${second.url}/connectors/github`)).text();
      expect(page).toContain('data-testid="callback-changed"');
      expect(page).toContain(`it was <code>${playground.url}/callback/github</code>`);
    } finally {
      await second.stop();
    }
  });
});

/**
 * Connectors that fail in every way a connector can: a guard that throws, an authorization URL
 * that is no URL, errors that are not Errors or cannot be printed as JSON.
 */
const misbehavingConnector = (type: 'Social' | 'Email') => `
const metadata = {
  id: 'misbehaving-${type.toLowerCase()}', target: 'misbehaving', platform: ${type === 'Social' ? "'Web'" : 'null'},
  name: { en: 'Misbehaving ${type}' }, description: { en: 'Fails in every way' }, logo: './logo.svg',
  logoDark: null, readme: '', formItems: [{ key: 'mode', label: 'Mode', type: 'Text', required: true }],
};
const circular = { reason: 'circular' };
circular.self = circular;
export default async () => ({
  type: '${type}',
  metadata,
  configGuard: {
    safeParse: (config) => {
      if (config.mode === 'guard-throws') { throw new TypeError('Invalid URL'); }
      return { success: true, data: config };
    },
  },
  getAuthorizationUri: async () => 'not a url\\r\\nSet-Cookie: x=1',
  getUserInfo: async () => { throw circular; },
  sendMessage: async () => { throw circular; },
});
`;

describe('a connector that misbehaves', () => {
  let packages: string;
  let misbehaving: Playground;

  beforeAll(async () => {
    packages = await mkdtemp(join(tmpdir(), 'playground-misbehaving-'));
    for (const type of ['Social', 'Email'] as const) {
      const directory = join(packages, `connector-misbehaving-${type.toLowerCase()}`);
      await mkdir(join(directory, 'src'), { recursive: true });
      await writeFile(
        join(directory, 'package.json'),
        '{"name": "misbehaving", "version": "1.0.0"}',
      );
      await writeFile(join(directory, 'src/index.ts'), misbehavingConnector(type));
    }
    misbehaving = await startPlayground({ packagesDirectory: packages });
  }, 30_000);

  afterAll(async () => {
    await misbehaving?.stop();
    await rm(packages, { recursive: true, force: true });
  });

  const post = (slug: string, fields: Record<string, string>) =>
    fetch(`${misbehaving.url}/connectors/${slug}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  it('shows each failure beside the form, never an HTTP 500', async () => {
    const cases = [
      ['misbehaving-social', { 'config.mode': 'guard-throws', action: 'validate' }, 'invalid'],
      ['misbehaving-social', { 'config.mode': 'fine', action: 'sign-in' }, 'failed'],
      ['misbehaving-email', { 'config.mode': 'fine', action: 'send' }, 'failed'],
    ] as const;
    for (const [slug, fields, kind] of cases) {
      const answer = await post(slug, fields);
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe(`/connectors/${slug}#result`);
      const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(`${misbehaving.url}/connectors/${slug}`, { headers: { cookie } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`data-kind="${kind}"`);
      if (slug === 'misbehaving-social' && kind === 'invalid') {
        expect(html).toContain(
          'The connector&#39;s guard threw instead of refusing this configuration: TypeError: Invalid URL',
        );
      }
      if (kind === 'failed') {
        expect(html).toContain('Logto would answer it with a 500');
      }
      if (slug === 'misbehaving-email') {
        expect(html).not.toContain('platform <code>');
      }
    }
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
