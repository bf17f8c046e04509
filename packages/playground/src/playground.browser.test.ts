import { existsSync, mkdirSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPersonasAndFaults } from './personas-faults.browser-steps';
import { type Playground, startPlayground } from './playground';
import { checkRunPanels } from './run-panels.browser-steps';

/**
 * End to end, in a real browser: Debian's Chromium driven by playwright-core against the
 * playground it starts, which starts the emulators. Never skipped: without Chromium this fails
 * and says how to install it (CI installs it in .ci/run).
 */

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDirectory = fileURLToPath(new URL('../screenshots/', import.meta.url));

let playground: Playground;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}. Install Debian's package: apt-get update && apt-get install -y chromium (.ci/run does this), or set CHROMIUM_PATH.`,
    );
  }
  [playground, browser] = await Promise.all([
    startPlayground(),
    chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    }),
  ]);
  mkdirSync(screenshotDirectory, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  console.log(`Screenshots of the playground: ${screenshotDirectory}`);
});

/** A fresh browser profile per test: no cookies at the playground or any emulator. */
const withPage = async (run: (page: Page) => Promise<void>) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await run(page);
  } finally {
    await context.close();
  }
};

const openConnector = async (page: Page, slug: string) => {
  await page.goto(`${playground.url}/connectors/${slug}`);
  expect(await page.getByTestId('mode').getAttribute('data-mode')).toBe('emulator');
};

/** Signs in through the emulator's own pages, clicking like a person, back to the playground. */
const signIn = async (page: Page, slug: string, answerProvider: (page: Page) => Promise<void>) => {
  await openConnector(page, slug);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await answerProvider(page);
  await page.waitForURL(`${playground.url}/connectors/${slug}#result`);
  const result = page.getByTestId('result');
  await expect(result.getAttribute('data-kind')).resolves.toBe('signed-in');
  return result;
};

/** oidc-provider's pages: pick the account, then allow the requested scopes. */
const answerOpenIdProvider = async (page: Page) => {
  await page.getByRole('button', { name: /Alice Liddell/ }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
};

const text = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).textContent()) ?? '';

describe('the playground in Chromium', () => {
  it('lists every connector of the workspace with its logo, name and type', async () => {
    await withPage(async (page) => {
      await page.goto(playground.url);
      const cards = page.getByTestId('connector-card');
      const slugs = await cards.evaluateAll((elements) =>
        elements.map((element) => element.getAttribute('data-slug')),
      );
      expect(slugs).toEqual(
        expect.arrayContaining(['github', 'google', 'oidc', 'oauth2', 'smtp', 'aliyun-dm']),
      );
      const logosLoaded = await page
        .locator('.card img')
        .evaluateAll((images) =>
          images.every((image) => (image as unknown as { naturalWidth: number }).naturalWidth > 0),
        );
      expect(logosLoaded).toBe(true);
      await page.screenshot({ path: `${screenshotDirectory}connectors.png`, fullPage: true });
    });
  });

  it('signs in with GitHub against the GitHub emulator', async () => {
    await withPage(async (page) => {
      await signIn(page, 'github', async (provider) => {
        await provider.screenshot({ path: `${screenshotDirectory}github-authorize.png` });
        await provider.getByRole('button', { name: /^Authorize/ }).click();
      });
      expect(await text(page, 'user-id')).toBe(String(playground.emulators.github.user.id));
      expect(await text(page, 'user-email')).toBe('alice@example.com');
      expect(await text(page, 'user-name')).toBe('Alice Liddell');
      expect(await text(page, 'raw-data')).toContain('"login": "alice-gh"');
      const tokens = await text(page, 'token-response');
      expect(tokens).toContain('masked');
      expect(tokens).not.toMatch(/gho_[A-Za-z0-9_-]{20,}/);
    });
  });

  it('signs in with Google against the Google emulator, with a verified ID token and a refresh token', async () => {
    await withPage(async (page) => {
      await signIn(page, 'google', async (provider) => {
        await provider.getByRole('button', { name: /Alice Liddell/ }).click();
      });
      const account = playground.emulators.google.accounts[0]!;
      expect(await text(page, 'user-id')).toBe(account.sub);
      expect(await text(page, 'user-email')).toBe(account.email);
      const tokens = await text(page, 'token-response');
      expect(tokens).toMatch(/"refresh_token": "1\/\/0\S*… \(\d+ characters, masked\)"/);
      expect(await text(page, 'id-token-claims')).toContain(
        `"iss": "${playground.emulators.google.issuer}"`,
      );
      await page.screenshot({ path: `${screenshotDirectory}google-signed-in.png`, fullPage: true });
    });
  });

  it('signs in with OpenID Connect against the OpenID Provider emulator', async () => {
    await withPage(async (page) => {
      await signIn(page, 'oidc', answerOpenIdProvider);
      expect(await text(page, 'user-id')).toBe('user-alice');
      expect(await text(page, 'user-email')).toBe('alice@example.com');
      expect(await text(page, 'user-phone')).toBe('+15555550100');
    });
  });

  it('signs in with OAuth 2.0 against the OpenID Provider emulator as a plain OAuth server', async () => {
    await withPage(async (page) => {
      await signIn(page, 'oauth2', answerOpenIdProvider);
      expect(await text(page, 'user-id')).toBe('user-alice');
      expect(await text(page, 'user-name')).toBe('Alice Liddell');
    });
  });

  it('shows the connector error code and message when the user cancels at the provider', async () => {
    await withPage(async (page) => {
      await openConnector(page, 'github');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.waitForURL(`${playground.url}/connectors/github#result`);
      expect(await page.getByTestId('result').getAttribute('data-kind')).toBe('failed');
      expect(await text(page, 'error-code')).toBe('authorization_failed');
      expect(await text(page, 'error-message')).toContain('access_denied');
      await page.screenshot({ path: `${screenshotDirectory}github-cancelled.png`, fullPage: true });
    });
  });

  it('shows the connector guard’s error beside the field and signs nobody in', async () => {
    await withPage(async (page) => {
      await openConnector(page, 'github');
      await page.locator('#field-enterpriseUrl').fill('http://github.example.com');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByTestId('result').getAttribute('data-kind')).resolves.toBe('invalid');
      expect(
        await page.locator('[data-key="enterpriseUrl"] .field-errors').textContent(),
      ).toContain('must be an https:// URL');
    });
  });

  const sendEmail = async (page: Page, slug: string, to: string, code: string) => {
    await openConnector(page, slug);
    await page.locator('#email-to').fill(to);
    await page.locator('#email-usage-type').selectOption('Generic');
    await page.locator('#email-code').fill(code);
    await page.getByRole('button', { name: 'Send test email' }).click();
    await page.waitForURL(`${playground.url}/connectors/${slug}#result`);
    await expect(page.getByTestId('result').getAttribute('data-kind')).resolves.toBe('sent');
    expect(await text(page, 'mail-to')).toContain(to);
    expect(await text(page, 'mail-subject')).toBe('Your verification code');
    // The HTML part, rendered in its sandboxed frame.
    const html = page.frameLocator('[data-testid="mail-html"]');
    expect(await html.locator('strong').textContent()).toBe(code);
  };

  it('sends a test email through SMTP and shows it as the SMTP sink received it', async () => {
    await withPage(async (page) => {
      await sendEmail(page, 'smtp', 'bob@example.com', '424242');
      expect(await text(page, 'mail-text')).toContain('424242');
      expect(await page.getByTestId('result').textContent()).toContain('Authenticated as');
      await page.screenshot({ path: `${screenshotDirectory}smtp-sent.png`, fullPage: true });
    });
  });

  it('sends a test email through Aliyun Direct Mail and shows it as the signature-checking emulator received it', async () => {
    await withPage(async (page) => {
      await sendEmail(page, 'aliyun-dm', 'carol@example.com', '135790');
      expect(await page.getByTestId('result').textContent()).toContain('verified by the emulator');
      expect(playground.emulators.aliyun.mails.at(-1)?.toAddress).toEqual(['carol@example.com']);
    });
  });
});

/** The screenshot the root README shows: the connectors page, whose content does not vary by run. */
const readmeScreenshot = fileURLToPath(new URL('../docs/playground.png', import.meta.url));

describe('the rough edges a new user hit (issue 20)', () => {
  /**
   * A page whose problems fail the test: a script error, a console error, an HTTP 500 or a 404
   * (the favicon) from the playground itself. Emulator pages are not the playground's to judge.
   */
  const withCheckedPage = async (
    viewport: { width: number; height: number },
    run: (page: Page) => Promise<void>,
  ) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    const isPlayground = (url: string) =>
      url.startsWith(playground.url) ||
      url.startsWith(`http://localhost:${new URL(playground.url).port}`);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && isPlayground(message.location().url || page.url())) {
        problems.push(`console error: ${message.text()}`);
      }
    });
    page.on('response', (response) => {
      if (isPlayground(response.url()) && (response.status() >= 500 || response.status() === 404)) {
        problems.push(`HTTP ${response.status()} for ${response.url()}`);
      }
    });
    try {
      await run(page);
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  };

  /** No horizontal scrolling of the page, and nothing wider than its panel. */
  const expectNoOverflow = async (page: Page, width: number) => {
    await page.setViewportSize({ width, height: 900 });
    // Evaluated in the page (this package's types have no DOM).
    const overflow = await page.evaluate(`({
      page: document.documentElement.scrollWidth - window.innerWidth,
      panels: [...document.querySelectorAll('section.panel')]
        .filter((panel) => panel.scrollWidth > panel.clientWidth + 1)
        .map((panel) => panel.querySelector('h2')?.textContent ?? '?'),
    })`);
    expect(overflow, `at ${width} px`).toEqual({ page: 0, panels: [] });
  };

  it('works when opened at localhost, wraps long results at 420 and 1280 px, and shows no 500', async () => {
    await withCheckedPage({ width: 420, height: 800 }, async (page) => {
      const port = new URL(playground.url).port;
      await page.goto(`http://localhost:${port}/connectors/github`);
      expect(page.url()).toBe(`${playground.url}/connectors/github`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('button', { name: /^Authorize/ }).click();
      await page.waitForURL(`${playground.url}/connectors/github#result`);
      expect(await page.getByTestId('result').getAttribute('data-kind')).toBe('signed-in');
      await page.locator('#result details summary').click();
      await expectNoOverflow(page, 420);
      await expectNoOverflow(page, 1280);
    });
  });

  it('names an invalid field, focuses it above the sticky buttons, with aria-invalid and aria-describedby', async () => {
    await withCheckedPage({ width: 420, height: 700 }, async (page) => {
      await openConnector(page, 'github');
      await page.locator('#field-enterpriseUrl').fill('github.example.com');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${playground.url}/connectors/github#result`);
      const result = page.getByTestId('result');
      expect(await result.getAttribute('data-kind')).toBe('invalid');
      expect(await result.locator('h2').textContent()).toBe(
        'The configuration is not valid: GitHub Enterprise Server URL',
      );
      const field = page.locator('#field-enterpriseUrl');
      await expect
        .poll(() => page.evaluate('document.activeElement?.id'))
        .toBe('field-enterpriseUrl');
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await field.getAttribute('aria-describedby')).toContain('field-enterpriseUrl-errors');
      const problem = page.locator('#field-enterpriseUrl-errors');
      expect(await problem.textContent()).toContain('https://');
      const [problemBox, barBox] = await Promise.all([
        problem.boundingBox(),
        page.locator('.actions').boundingBox(),
      ]);
      // In view, and above the sticky button bar rather than under it.
      expect(problemBox!.y).toBeGreaterThanOrEqual(0);
      expect(problemBox!.y + problemBox!.height).toBeLessThanOrEqual(barBox!.y);
      await expectNoOverflow(page, 420);
    });
  });

  it('updates the emulator badge as the config changes, and shows a working state while a server does not answer', async () => {
    // A server that accepts connections and never says a word (an SMTP greeting never comes).
    const sockets = new Set<Socket>();
    const silent = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    try {
      await withCheckedPage({ width: 1280, height: 900 }, async (page) => {
        await openConnector(page, 'smtp');
        await page.locator('#field-port').fill(String(silentPort));
        await expect.poll(() => page.getByTestId('mode').getAttribute('data-mode')).toBe('real');
        await page.locator('#field-port').fill(String(playground.emulators.smtp.port));
        await expect
          .poll(() => page.getByTestId('mode').getAttribute('data-mode'))
          .toBe('emulator');
        await page.locator('#field-port').fill(String(silentPort));
        // Clicked from the page, which reads its own state right after the submit event:
        // Playwright's own click would wait for the navigation it starts.
        const working = await page.evaluate(`(() => {
          document.querySelector('button[value=send]').click();
          const indicator = document.querySelector('[data-testid=working]');
          return {
            shown: !indicator.hidden && indicator.getClientRects().length > 0,
            text: indicator.textContent,
            enabledButtons: [...document.querySelectorAll('form.config button')].filter((button) => !button.disabled).length,
            busy: document.querySelector('form.config').getAttribute('aria-busy'),
          };
        })()`);
        expect(working).toEqual({ shown: true, text: 'Working…', enabledButtons: 0, busy: 'true' });
      });
    } finally {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('signs in with client_secret_jwt and private_key_jwt at the emulator, and heads a token-exchange failure with its method', async () => {
    const signInWith = (slug: string, prepare: (page: Page) => Promise<void>) =>
      withCheckedPage({ width: 1280, height: 900 }, async (page) => {
        await openConnector(page, slug);
        await prepare(page);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await answerOpenIdProvider(page);
        await page.waitForURL(`${playground.url}/connectors/${slug}#result`);
        results.push({
          kind: await page.getByTestId('result').getAttribute('data-kind'),
          heading: await page.locator('#result h2').textContent(),
        });
      });
    const results: Array<{ kind: string | null; heading: string | null }> = [];
    await signInWith('oidc', async (page) => {
      await page.locator('#field-tokenEndpointAuthMethod').selectOption('client_secret_jwt');
    });
    await signInWith('oauth2', async (page) => {
      await page.locator('#field-tokenEndpointAuthMethod').selectOption('private_key_jwt');
      expect(await page.locator('#field-clientPrivateKey').inputValue()).toContain('PRIVATE KEY');
    });
    // A wrong secret fails only at the token exchange, inside the method Logto calls.
    await signInWith('oidc', async (page) => {
      await page.locator('#field-clientSecret').fill('not-the-secret-of-this-client-at-all');
    });
    const oidc = playground.connectors.find((connector) => connector.slug === 'oidc')!;
    const method = oidc.metadata.isTokenStorageSupported
      ? 'getTokenResponseAndUserInfo'
      : 'getUserInfo';
    expect(results.map((result) => result.kind)).toEqual(['signed-in', 'signed-in', 'failed']);
    expect(results[2]?.heading).toMatch(new RegExp(`^${method} failed: `));
  });

  it('wraps an SMS result and the inbox page at 420 and 1280 px', async () => {
    await withCheckedPage({ width: 420, height: 800 }, async (page) => {
      await openConnector(page, 'twilio-sms');
      await page.getByRole('button', { name: 'Send test SMS' }).click();
      await page.waitForURL(`${playground.url}/connectors/twilio-sms#result`);
      await expectNoOverflow(page, 420);
      await expectNoOverflow(page, 1280);
      await page.goto(`${playground.url}/inbox`);
      await expectNoOverflow(page, 420);
      await expectNoOverflow(page, 1280);
    });
  });

  it('heads the playground’s own refusals without the note about Logto answering 500', async () => {
    await withCheckedPage({ width: 1280, height: 900 }, async (page) => {
      await page.goto(`${playground.url}/callback/github?code=abc&state=nothing-pending`);
      await page.waitForURL(`${playground.url}/connectors/github#result`);
      expect(await page.locator('#result h2').textContent()).toBe('The callback was refused');
      expect(await page.getByTestId('result').textContent()).not.toContain('Logto would answer');
    });
  });

  it('says a wrong Aliyun secret in one short sentence pointing at the Access Key Secret, wrapped at 420 px', async () => {
    await withCheckedPage({ width: 420, height: 800 }, async (page) => {
      await openConnector(page, 'aliyun-dm');
      await page.locator('#field-accessKeySecret').fill('not-the-access-key-secret');
      await page.getByRole('button', { name: 'Send test email' }).click();
      await page.waitForURL(`${playground.url}/connectors/aliyun-dm#result`);
      expect(await text(page, 'error-code')).toBe('invalid_config');
      const message = await text(page, 'error-message');
      expect(message).toContain('Access Key Secret');
      expect(message.length).toBeLessThan(200);
      expect(await page.getByTestId('result').textContent()).not.toContain(
        'not-the-access-key-secret',
      );
      await expectNoOverflow(page, 420);
      await expectNoOverflow(page, 1280);
    });
  });

  it('gets the small things right: help text, legends, platform, code, template, reset, masking, favicon', async () => {
    await withCheckedPage({ width: 1280, height: 900 }, async (page) => {
      await openConnector(page, 'oidc');
      expect(await page.locator('.hint code').count()).toBeGreaterThan(0);
      const hints = await page.locator('.hint').allTextContents();
      expect(hints.filter((hint) => hint.includes('`'))).toEqual([]);
      await page.getByRole('button', { name: 'Validate' }).click();
      await page.waitForURL(`${playground.url}/connectors/oidc#result`);
      const parsed = await page.getByTestId('result').textContent();
      expect(parsed).toContain('"clientSecretJwtSigningAlgorithm": "HS256"');
      expect(parsed).toMatch(/"clientSecret": "\S+… \(\d+ characters, masked\)"/);

      await openConnector(page, 'google');
      expect(await page.locator('fieldset.multi legend').first().textContent()).toBe('Prompts');

      await openConnector(page, 'smtp');
      expect(await page.locator('.title').textContent()).not.toContain('platform');
      await page.locator('#email-to').fill('erin@example.com');
      await page.locator('#email-usage-type').selectOption('BindMfa');
      await page.locator('#email-code').fill('314159');
      await page.locator('#field-logger').check();
      await page.locator('#field-debug').check();
      await page.getByRole('button', { name: 'Send test email' }).click();
      await page.waitForURL(`${playground.url}/connectors/smtp#result`);
      expect(
        await page.getByTestId('template-report').first().getAttribute('data-answered-by'),
      ).toBe('generic');
      // The SMTP conversation, on the page rather than only in the terminal.
      const log = await text(page, 'connector-log');
      expect(log).toMatch(/MAIL FROM/);
      expect(log).not.toContain('playground-smtp-password');
      expect(log).not.toContain(Buffer.from('playground-smtp-password').toString('base64'));
      // The form still shows the code of the message shown.
      expect(await page.locator('#email-code').inputValue()).toBe('314159');
      expect(
        await page.frameLocator('[data-testid="mail-html"]').locator('strong').textContent(),
      ).toBe('314159');
      await page.getByRole('button', { name: 'Reset to the emulator config' }).click();
      await page.waitForURL(`${playground.url}/connectors/smtp`);
      expect(await page.locator('#email-to').inputValue()).toBe('alice@example.com');
      expect(await page.locator('#email-usage-type').inputValue()).toBe('Generic');

      expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/favicon.ico');
      await page.goto(playground.url, { waitUntil: 'networkidle' });
      mkdirSync(dirname(readmeScreenshot), { recursive: true });
      await page.setViewportSize({ width: 1100, height: 760 });
      // No card under the pointer (a hover border), so the committed picture changes only with
      // the page itself.
      await page.mouse.move(0, 0);
      // Rendering differs by a few anti-aliased pixels between runs: the committed picture is
      // rewritten only when missing or asked for (`pnpm --filter @idplug/playground
      // screenshot`), so a test run leaves the working tree clean.
      const path =
        existsSync(readmeScreenshot) && process.env.UPDATE_README_SCREENSHOT !== '1'
          ? `${screenshotDirectory}playground.png`
          : readmeScreenshot;
      await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
    });
  });

  it('shows a sign-in’s request timeline with its tokens masked, copies its config for Logto masked until revealed, and refreshes its tokens', async () => {
    await withCheckedPage({ width: 1280, height: 900 }, (page) =>
      checkRunPanels(page, {
        playgroundUrl: playground.url,
        clientSecret: playground.emulators.gitlab.config.clientSecret,
        expectNoOverflow,
        screenshotPath: `${screenshotDirectory}run-timeline.png`,
      }),
    );
  });
});

describe('the playground in Chromium: every connector, SMS and the inbox', () => {
  /** The shared OAuth emulators' consent page (Facebook, Discord, GitLab). */
  const authorizeAtOAuthEmulator = async (provider: Page) => {
    await provider.getByRole('button', { name: 'Authorize' }).click();
  };

  const socialSignIns: Array<{
    slug: string;
    answerProvider: (page: Page) => Promise<void>;
    userId: () => string;
  }> = [
    {
      slug: 'azuread',
      // oidc-provider per tenant: pick the work account, then consent (offline_access).
      answerProvider: async (provider) => {
        await provider.getByRole('button', { name: /Megan Bowen/ }).click();
        await provider.getByRole('button', { name: 'Allow' }).click();
      },
      // Graph's `id` of a work account is its object id.
      userId: () =>
        Object.values(playground.emulators.azuread.tenants[0]!.accounts)[0]!.graphId ??
        Object.values(playground.emulators.azuread.tenants[0]!.accounts)[0]!.oid,
    },
    {
      slug: 'apple',
      // Apple's account page, then its form_post page posts back to the playground by itself.
      answerProvider: async (provider) => {
        await provider.getByRole('button', { name: /^Continue as/ }).click();
      },
      userId: () => playground.emulators.apple.accounts[0]!.sub,
    },
    {
      slug: 'facebook',
      answerProvider: authorizeAtOAuthEmulator,
      userId: () => playground.emulators.facebook.user.id,
    },
    {
      slug: 'discord',
      answerProvider: authorizeAtOAuthEmulator,
      userId: () => playground.emulators.discord.user.id,
    },
    {
      slug: 'gitlab',
      answerProvider: authorizeAtOAuthEmulator,
      userId: () => String(playground.emulators.gitlab.user.id),
    },
  ];

  it('shows every connector of the workspace with the emulator it runs against', async () => {
    await withPage(async (page) => {
      await page.goto(playground.url);
      const modes = await page
        .getByTestId('connector-card')
        .evaluateAll((cards) =>
          cards.map((card) => [
            card.getAttribute('data-slug'),
            card.querySelector('[data-testid="card-mode"]')?.getAttribute('data-mode'),
          ]),
        );
      const slugs = modes.map(([slug]) => slug);
      for (const slug of [
        ...socialSignIns.map((entry) => entry.slug),
        'twilio-sms',
        'aliyun-sms',
        'http-sms',
        'aws-ses',
        'sendgrid',
        'postmark',
        'mailgun',
        'http-email',
      ]) {
        expect(slugs).toContain(slug);
      }
      // Every connector of this workspace has an emulator preset.
      expect(modes.filter(([, mode]) => mode !== 'emulator')).toEqual([]);
    });
  });

  it.each(socialSignIns)(
    'signs in with $slug through its emulator’s own pages',
    async ({ slug, answerProvider, userId }) => {
      await withPage(async (page) => {
        await signIn(page, slug, answerProvider);
        expect(await text(page, 'user-id')).toBe(userId());
      });
    },
  );

  /** Fills a connector's test-message fields (email or SMS) and sends; returns the result panel. */
  const sendTest = async (
    page: Page,
    slug: string,
    channel: 'email' | 'sms',
    fields: { to: string; usageType: string; code: string; locale?: string },
  ) => {
    await openConnector(page, slug);
    await page.locator(`#${channel}-to`).fill(fields.to);
    await page.locator(`#${channel}-usage-type`).selectOption(fields.usageType);
    await page.locator(`#${channel}-code`).fill(fields.code);
    if (fields.locale !== undefined) {
      await page.locator('#email-locale').fill(fields.locale);
    }
    await page
      .getByRole('button', { name: channel === 'sms' ? 'Send test SMS' : 'Send test email' })
      .click();
    await page.waitForURL(`${playground.url}/connectors/${slug}#result`);
    const result = page.getByTestId('result');
    const kind = await result.getAttribute('data-kind');
    expect(kind, (await result.textContent()) ?? '').toBe(channel === 'sms' ? 'sms-sent' : 'sent');
    return result;
  };

  /** The newest inbox entry of a connector. */
  const inboxEntryOf = async (page: Page, slug: string) => {
    if (!page.url().endsWith('/inbox')) {
      await page.getByTestId('inbox-link').click();
      await page.waitForURL(`${playground.url}/inbox`);
    }
    return page.locator(`[data-testid="inbox-entry"][data-connector="${slug}"]`).first();
  };

  it('sends a test SMS through each SMS connector and finds each in the inbox, newest first', async () => {
    await withPage(async (page) => {
      const sends = [
        { slug: 'twilio-sms', code: '314159', usageType: 'SignIn' },
        { slug: 'aliyun-sms', code: '271828', usageType: 'Generic' },
        { slug: 'http-sms', code: '161803', usageType: 'Register' },
      ];
      for (const { slug, code, usageType } of sends) {
        const result = await sendTest(page, slug, 'sms', { to: '4512345678', usageType, code });
        expect(await result.getByTestId('sms-text').textContent()).toContain(code);
      }
      await page.getByTestId('inbox-link').click();
      await page.waitForURL(`${playground.url}/inbox`);
      const connectors = await page
        .getByTestId('inbox-entry')
        .evaluateAll((entries) => entries.map((entry) => entry.getAttribute('data-connector')));
      // The last send is on top.
      expect(connectors.slice(0, 3)).toEqual(['http-sms', 'aliyun-sms', 'twilio-sms']);

      const twilio = await inboxEntryOf(page, 'twilio-sms');
      expect(await twilio.getByTestId('inbox-to').textContent()).toBe('+4512345678');
      expect(await twilio.getByTestId('sms-text').textContent()).toBe(
        'Your sign-in code is 314159.',
      );
      expect(await twilio.getByTestId('template-report').getAttribute('data-answered-by')).toBe(
        'type',
      );
      const aliyun = await inboxEntryOf(page, 'aliyun-sms');
      // Aliyun renders its own template: the code is in the text, the template code beside it.
      expect(await aliyun.getByTestId('sms-text').textContent()).toContain('271828');
      expect(await aliyun.getByTestId('sms-template').textContent()).toMatch(/^SMS_\d+$/);
      const httpSms = await inboxEntryOf(page, 'http-sms');
      expect(await httpSms.getByTestId('sms-text').textContent()).toContain('161803');
      expect(await httpSms.getByTestId('sms-template').textContent()).toBe('Register');
      expect(await httpSms.getByTestId('template-report').getAttribute('data-answered-by')).toBe(
        'not-reported',
      );
      await page.screenshot({ path: `${screenshotDirectory}inbox-sms.png`, fullPage: true });
    });
  });

  it('sends a test email through each new email connector and finds each in the inbox with its HTML and text', async () => {
    await withPage(async (page) => {
      const sends = [
        { slug: 'aws-ses', code: '100001', to: 'ses@example.com' },
        { slug: 'sendgrid', code: '100002', to: 'sendgrid@example.com' },
        { slug: 'postmark', code: '100003', to: 'postmark@example.com' },
        { slug: 'mailgun', code: '100004', to: 'mailgun@example.com' },
        { slug: 'http-email', code: '100005', to: 'http-email@example.com' },
      ];
      for (const { slug, code, to } of sends) {
        const result = await sendTest(page, slug, 'email', { to, usageType: 'Generic', code });
        expect(await result.getByTestId('mail-to').textContent()).toContain(to);
      }
      for (const { slug, code, to } of sends) {
        const entry = await inboxEntryOf(page, slug);
        expect(await entry.getByTestId('inbox-to').textContent()).toBe(to);
        // The HTML part in its sandboxed frame, and the text part.
        const html = entry.frameLocator('[data-testid="mail-html"]').locator('body');
        expect(await html.textContent()).toContain(code);
        expect(await entry.getByTestId('mail-text').textContent()).toContain(code);
      }
      await page.screenshot({ path: `${screenshotDirectory}inbox-email.png`, fullPage: true });
    });
  });

  it('tells which template answered: the type’s, the Generic fallback, or Logto’s localized one', async () => {
    await withPage(async (page) => {
      await sendTest(page, 'sendgrid', 'email', {
        to: 'fallback@example.com',
        usageType: 'BindMfa',
        code: '200001',
      });
      const fallback = await inboxEntryOf(page, 'sendgrid');
      expect(await fallback.getByTestId('template-report').getAttribute('data-answered-by')).toBe(
        'generic',
      );
      expect(await fallback.getByTestId('template-report').textContent()).toContain('BindMfa');

      await sendTest(page, 'postmark', 'email', {
        to: 'localized@example.com',
        usageType: 'SignIn',
        code: '200002',
        locale: 'fr',
      });
      const localized = await inboxEntryOf(page, 'postmark');
      expect(await localized.getByTestId('template-report').getAttribute('data-answered-by')).toBe(
        'i18n',
      );
      expect(await localized.getByTestId('mail-subject').textContent()).toBe(
        'Votre code de vérification',
      );
    });
  });

  it('signs in as a persona and shows a fault’s error, per protocol family', async () => {
    await checkPersonasAndFaults({ browser, playground });
  }, 180_000);
});
