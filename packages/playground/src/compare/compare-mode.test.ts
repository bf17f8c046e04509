import { ConnectorType } from '@logto/connector-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialFormValues } from '../form';
import { type Playground, startPlayground } from '../playground';
import { createFormClient } from '../playground-form-client';
import { loadOfficialPackage, officialPackages } from './official-connectors';

/**
 * `--compare` over HTTP, without a browser: a test send through a connector's page also goes
 * through the official package into the same emulator, the page shows both verdicts side by side,
 * and the inbox says which connector sent which message.
 */

let playground: Playground;

beforeAll(async () => {
  playground = await startPlayground({ compare: true });
}, 60_000);

afterAll(async () => {
  await playground?.stop();
});

const client = () => {
  const form = createFormClient(playground.url);
  const sendFrom = async (slug: string, fields: Record<string, string>) => {
    await form.post(`/connectors/${slug}`, { ...fields, action: 'send' });
    return form.html(`/connectors/${slug}`);
  };
  /** Starts a sign-in; returns where the playground sends the browser (the provider). */
  const signInFrom = async (slug: string, fields: Record<string, string>) =>
    (await form.post(`/connectors/${slug}`, { ...fields, action: 'sign-in' })) ?? '';
  return { ...form, sendFrom, signInFrom };
};

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

const summaryOf = (html: string) =>
  textOf(/<p class="panel" data-testid="compare-summary">[\s\S]*?<\/p>/.exec(html)?.[0] ?? '');

/** The official Twilio guard insists on templates for these four usage types. */
const twilioFields = (code: string) => {
  const twilio = playground.emulators.twilio.connectorConfig;
  return {
    'config.accountSID': String(twilio.accountSID),
    'config.authToken': String(twilio.authToken),
    'config.fromMessagingServiceSID': String(twilio.fromMessagingServiceSID),
    'config.templates': JSON.stringify(
      ['Register', 'SignIn', 'ForgotPassword', 'Generic'].map((usageType) => ({
        usageType,
        content: `Your ${usageType} code is {{code}}`,
      })),
    ),
    'sms.to': '4512345678',
    'sms.usageType': 'SignIn',
    'sms.code': code,
  };
};

describe('pnpm playground --compare', () => {
  it('sends a test SMS through ours and the official package (its fixed api.twilio.com forwarded to the emulator), side by side', async () => {
    const browser = client();
    const before = playground.emulators.twilio.inbox.length;
    const html = await browser.sendFrom('twilio-sms', twilioFields('246810'));
    expect(summaryOf(html)).toBe(' Compare mode: idplug ok · official ok ');
    const official = /data-testid="official-result" data-kind="([^"]+)"[\s\S]*?<\/section>/.exec(
      html,
    );
    expect(official?.[1]).toBe('sent');
    expect(official?.[0]).toContain('@logto/connector-twilio-sms');
    expect(official?.[0]).toContain('Your SignIn code is 246810');
    // Both messages reached the same emulator.
    expect(
      playground.emulators.twilio.inbox.slice(before).map(({ to, text }) => [to, text]),
    ).toEqual([
      ['+4512345678', 'Your SignIn code is 246810'],
      ['+4512345678', 'Your SignIn code is 246810'],
    ]);

    const inbox = await browser.html('/inbox');
    const senders = [
      ...inbox.matchAll(
        /data-connector="twilio-sms">[\s\S]*?data-testid="sent-by">Sent by the ([^<]+)</g,
      ),
    ].map(([, sender]) => sender);
    expect(senders.slice(0, 2).sort()).toEqual([
      'idplug connector',
      'official @logto/connector-twilio-sms',
    ]);
  });

  it('shows the error code and message of a side that fails, beside the one that succeeds', async () => {
    const browser = client();
    // Only a Generic template: ours falls back to it, the official guard wants all four types.
    const html = await browser.sendFrom('twilio-sms', {
      ...twilioFields('135790'),
      'config.templates': JSON.stringify([{ usageType: 'Generic', content: 'Code {{code}}' }]),
    });
    expect(summaryOf(html)).toMatch(/^ Compare mode: idplug ok · official invalid_config /);
    expect(html).toContain('data-testid="official-error-code">invalid_config<');
  });

  it('sends a test email through both to the same SMTP sink (the config points both at it)', async () => {
    const browser = client();
    const { smtp } = playground.emulators;
    const before = smtp.messages.length;
    const html = await browser.sendFrom('smtp', {
      'config.host': smtp.host,
      'config.port': String(smtp.port),
      'config.auth': JSON.stringify({
        type: 'login',
        user: 'playground',
        pass: 'playground-smtp-password',
      }),
      'config.fromEmail': 'playground@example.com',
      // The official guard wants templates for Register, SignIn and ForgotPassword.
      'config.templates': JSON.stringify(
        ['Register', 'SignIn', 'ForgotPassword', 'Generic'].map((usageType) => ({
          usageType,
          contentType: 'text/plain',
          subject: 'Code',
          content: 'Code {{code}}',
        })),
      ),
      'email.to': 'erin@example.com',
      'email.usageType': 'Generic',
      'email.code': '112358',
    });
    expect(summaryOf(html)).toBe(' Compare mode: idplug ok · official ok ');
    expect(smtp.messages.slice(before).map(({ text }) => text?.trim())).toEqual([
      'Code 112358',
      'Code 112358',
    ]);
  });

  it('forwards the official SendGrid package from api.sendgrid.com to the emulator ours calls', async () => {
    const browser = client();
    const { sendgrid } = playground.emulators;
    const before = sendgrid.messages.length;
    const html = await browser.sendFrom('sendgrid', {
      'config.apiKey': String(sendgrid.config.apiKey),
      'config.fromEmail': String(sendgrid.config.fromEmail),
      'config.endpoint': sendgrid.url,
      // The official guard's template shape (`type`), which ours takes too.
      'config.templates': JSON.stringify(
        ['Register', 'SignIn', 'ForgotPassword', 'Generic'].map((usageType) => ({
          usageType,
          type: 'text/plain',
          subject: 'Code',
          content: 'Code {{code}}',
        })),
      ),
      'email.to': 'frank@example.com',
      'email.usageType': 'Register',
      'email.code': '314159',
    });
    expect(summaryOf(html)).toBe(' Compare mode: idplug ok · official ok ');
    expect(sendgrid.messages.slice(before).map(({ to, text }) => [to, text])).toEqual([
      [['frank@example.com'], 'Code 314159'],
      [['frank@example.com'], 'Code 314159'],
    ]);
  });

  it('does not run the official package when the config talks to the real provider', async () => {
    const browser = client();
    const html = await browser.sendFrom('twilio-sms', {
      ...twilioFields('999000'),
      // Not the emulator's account: ours would call the real Twilio (and fail without a network).
      'config.accountSID': 'AC11111111111111111111111111111111',
    });
    expect(html).toContain('data-testid="official-result" data-kind="refused"');
    expect(textOf(html)).toContain('the official test send was not started');
  });
});

/** Approves at the GitHub emulator's authorization page; returns where it sends the browser. */
const approveAtGithub = async (authorizationUrl: string) => {
  const page = await (await fetch(authorizationUrl)).text();
  const id = /name="authorization" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const decided = await fetch(`${playground.emulators.github.baseUrl}/login/oauth/authorize`, {
    method: 'POST',
    body: new URLSearchParams({ authorization: id, decision: 'allow' }),
    redirect: 'manual',
  });
  return new URL(decided.headers.get('location') ?? '');
};

describe('pnpm playground --compare, social', () => {
  it('signs in with ours, then the official package on its own trip to the emulator (github.com rewritten), side by side', async () => {
    const browser = client();
    const { github } = playground.emulators;
    const ourCallback = await approveAtGithub(
      await browser.signInFrom('github', {
        'config.clientId': github.app.clientId,
        'config.clientSecret': github.app.clientSecret,
        'config.scope': 'read:user user:email',
        'config.enterpriseUrl': github.baseUrl,
      }),
    );
    const afterOurs = await browser.redirectOf(`${ourCallback.pathname}${ourCallback.search}`);
    // Not back to the page yet: on to the official package's trip, at the emulator, not github.com.
    const officialAuthorization = new URL(afterOurs);
    expect(officialAuthorization.origin).toBe(github.baseUrl);
    expect(officialAuthorization.pathname).toBe('/login/oauth/authorize');
    expect(officialAuthorization.searchParams.get('state')).not.toBe(
      ourCallback.searchParams.get('state'),
    );
    const officialCallback = await approveAtGithub(officialAuthorization.href);
    expect(officialCallback.pathname).toBe(ourCallback.pathname);
    expect(await browser.redirectOf(`${officialCallback.pathname}${officialCallback.search}`)).toBe(
      '/connectors/github#result',
    );

    const html = await browser.html('/connectors/github');
    expect(summaryOf(html)).toBe(' Compare mode: idplug ok · official ok ');
    expect(html).toContain('data-testid="official-result" data-kind="signed-in"');
    const officialUser = /data-testid="official-user">([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? '';
    expect(officialUser).toContain('alice@example.com');
    expect(html).toContain('data-testid="user-email">alice@example.com<');
  });
});

/** Chooses the first account on the Google emulator's page; returns where it sends the browser. */
const chooseAtGoogle = async (authorizationUrl: string) => {
  const { google } = playground.emulators;
  const page = await (await fetch(authorizationUrl)).text();
  const id = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const chosen = await fetch(`${google.issuer}/o/oauth2/v2/auth`, {
    method: 'POST',
    body: new URLSearchParams({ request: id, account: google.accounts[0]?.sub ?? '' }),
    redirect: 'manual',
  });
  return new URL(chosen.headers.get('location') ?? '');
};

describe('pnpm playground --compare, Google', () => {
  it('signs in with the official Google package on its own trip (accounts.google.com and googleapis.com forwarded)', async () => {
    const browser = client();
    const { google } = playground.emulators;
    const googleClient = google.clients[0]!;
    const ourCallback = await chooseAtGoogle(
      await browser.signInFrom('google', {
        'config.clientId': googleClient.clientId,
        'config.clientSecret': googleClient.clientSecret,
        'config.scope': 'openid profile email',
      }),
    );
    const officialAuthorization = new URL(
      await browser.redirectOf(`${ourCallback.pathname}${ourCallback.search}`),
    );
    expect(officialAuthorization.origin).toBe(new URL(google.issuer).origin);
    const officialCallback = await chooseAtGoogle(officialAuthorization.href);
    await browser.redirectOf(`${officialCallback.pathname}${officialCallback.search}`);

    const html = await browser.html('/connectors/google');
    expect(summaryOf(html)).toBe(' Compare mode: idplug ok · official ok ');
    const officialUser = /data-testid="official-user">([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? '';
    expect(officialUser).toContain(google.accounts[0]?.sub ?? 'no account');
  });
});

/** The form fields of a connector's emulator preset, as its page shows them first. */
const presetForm = (connectorId: string) => {
  const connector = playground.connectors.find(({ metadata }) => metadata.id === connectorId);
  const preset = playground.emulators.presets.get(connectorId);
  const form = new URLSearchParams();
  const values = initialFormValues(connector?.metadata.formItems, preset?.config ?? {});
  for (const [key, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== false) {
        form.append(`config.${key}`, String(item));
      }
    }
  }
  return Object.fromEntries(form);
};

describe('pnpm playground --compare, every email and SMS connector', () => {
  it('runs each official package against its emulator with the preset config, never refusing an address (every provider host it calls is mapped)', async () => {
    const compared = playground.connectors.filter(
      ({ type, metadata }) =>
        (type === ConnectorType.Email || type === ConnectorType.Sms) &&
        officialPackages.has(metadata.id),
    );
    expect(compared.length).toBeGreaterThanOrEqual(10);
    const kinds: Record<string, string | undefined> = {};
    for (const connector of compared) {
      const html = await client().sendFrom(connector.slug, {
        ...presetForm(connector.metadata.id),
        'email.to': 'grace@example.com',
        'email.usageType': 'SignIn',
        'email.code': '123456',
        'sms.to': '4512345678',
        'sms.usageType': 'SignIn',
        'sms.code': '123456',
      });
      kinds[connector.slug] = /data-testid="official-result" data-kind="([^"]+)"/.exec(html)?.[1];
      expect(html, connector.slug).not.toContain('data-testid="official-refused"');
    }
    // The presets are stored configs in the official shape, so every official package sends on
    // them, except Postmark's: it sends only Postmark-side templates (`templateAlias`), and the
    // preset keeps idplug's inline templates, which the official guard refuses.
    const { postmark: postmarkKind, ...others } = kinds;
    expect(postmarkKind).toBe('failed');
    expect(Object.keys(others).length).toBe(compared.length - 1);
    for (const [slug, kind] of Object.entries(others)) {
      expect(kind, slug).toBe('sent');
    }
  });
});

describe('pnpm playground --compare, fixed hosts of the other official packages', () => {
  const usageTypes = ['Register', 'SignIn', 'ForgotPassword', 'Generic'];

  it('forwards the official Aliyun SMS package from dysmsapi.aliyuncs.com to the emulator', async () => {
    const { aliyunSms } = playground.emulators;
    const before = aliyunSms.backend.messages.length;
    // The preset as it is: it has a template for each usage type the official guard insists on.
    const html = await client().sendFrom('aliyun-sms', {
      ...presetForm('aliyun-short-message-service'),
      'sms.to': '4512345678',
      'sms.usageType': 'SignIn',
      'sms.code': '161803',
    });
    expect(summaryOf(html)).toBe(' Compare mode: idplug ok · official ok ');
    expect(aliyunSms.backend.messages.length - before).toBe(2);
  });

  it('forwards the official Postmark package from api.postmarkapp.com to the emulator, which answers it', async () => {
    const { postmark } = playground.emulators;
    const before = postmark.backend.requests.length;
    const html = await client().sendFrom('postmark', {
      ...presetForm('postmark-mail'),
      // The official config: Postmark-side templates by alias.
      'config.templates': JSON.stringify(
        usageTypes.map((usageType) => ({
          usageType,
          templateAlias: `logto-${usageType.toLowerCase()}`,
        })),
      ),
      'email.to': 'heidi@example.com',
      'email.usageType': 'SignIn',
      'email.code': '271828',
    });
    expect(html).not.toContain('data-testid="official-refused"');
    // The official request reached the emulator (ours and theirs: two requests, whatever it said).
    expect(postmark.backend.requests.length - before).toBe(2);
  });
});

describe('compare mode on the pages', () => {
  it('names the official package and its second trip on a social connector page', async () => {
    const html = await client().html('/connectors/github');
    expect(html).toContain('data-testid="compare-note" data-compared="true"');
    expect(textOf(html)).toContain(
      'the official @logto/connector-github (where installed) signs in',
    );
  });

  it('says when no official package is compared with a connector', async () => {
    const html = await client().html('/connectors/oidc');
    expect(html).toContain('data-testid="compare-note" data-compared="false"');
  });

  it('names the official package on an email connector page', async () => {
    const html = await client().html('/connectors/sendgrid');
    expect(html).toContain('data-testid="compare-note" data-compared="true"');
    expect(textOf(html)).toContain('the official @logto/connector-sendgrid-email');
  });
});

describe('official packages', () => {
  it('has one installed for every connector it names', async () => {
    for (const { packageName } of officialPackages.values()) {
      expect(await loadOfficialPackage(packageName)).toMatchObject({ installed: true });
    }
  });

  it('reports a package that is not installed instead of failing', async () => {
    expect(await loadOfficialPackage('@logto/connector-not-there')).toEqual({
      installed: false,
      reason: '@logto/connector-not-there is not installed',
    });
  });
});
