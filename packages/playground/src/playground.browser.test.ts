import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from './playground';

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
