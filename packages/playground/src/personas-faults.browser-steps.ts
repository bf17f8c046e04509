import { setEmulatorFault } from '@idplug/emulators';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Playground } from './playground';

/**
 * The browser steps for personas and faults (issue 20), called from one `it` of
 * playground.browser.test.ts (one Chromium for the whole file). Per protocol family, OAuth 2.0
 * social (GitHub), OpenID Connect social (OpenID Provider, Google), email API (SendGrid) and SMS
 * API (Twilio): a persona signs in through the emulator's "Sign in as" buttons and the page shows
 * what the connector made of the profile; a fault switched on in the Faults panel gives the
 * connector's error on the page. Every page is checked: no page error, no console error from the
 * playground, no HTTP 500 from it, no horizontal overflow at 420 and 1280 px.
 */

type Context = { browser: Browser; playground: Playground };

/** A fresh browser profile (no SSO session at an emulator) whose page problems fail the step. */
const withCheckedPage = async (
  { browser, playground }: Context,
  run: (page: Page) => Promise<void>,
) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const isPlayground = (url: string) => url.startsWith(playground.url);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && isPlayground(message.location().url || page.url())) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (isPlayground(response.url()) && response.status() >= 500) {
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

const expectNoOverflow = async (page: Page) => {
  for (const width of [420, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.evaluate(`({
      page: document.documentElement.scrollWidth - window.innerWidth,
      panels: [...document.querySelectorAll('section.panel')]
        .filter((panel) => panel.scrollWidth > panel.clientWidth + 1)
        .map((panel) => panel.querySelector('h2')?.textContent ?? '?'),
    })`);
    expect(overflow, `at ${width} px`).toEqual({ page: 0, panels: [] });
  }
};

const textOf = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).first().textContent()) ?? '';

/** Picks a fault in the connector page's Faults panel and applies it. */
const switchFault = async (page: Page, playground: Playground, slug: string, fault: string) => {
  await page.goto(`${playground.url}/connectors/${slug}`);
  await page.locator('#emulator-fault').selectOption(fault);
  await page.getByTestId('fault-apply').click();
  await page.waitForURL(`${playground.url}/connectors/${slug}#faults`);
  expect(await page.getByTestId('fault-state').getAttribute('data-fault')).toBe(fault);
};

/** Clicks the page's primary action, answers the provider if it shows pages, waits for the result. */
const runAndWaitForResult = async (
  page: Page,
  playground: Playground,
  slug: string,
  action: string,
  answerProvider?: (page: Page) => Promise<void>,
) => {
  await page.getByRole('button', { name: action, exact: true }).click();
  await answerProvider?.(page);
  await page.waitForURL(`${playground.url}/connectors/${slug}#result`);
  return page.getByTestId('result');
};

const expectFailure = async (page: Page, code: string, message: RegExp) => {
  const result = page.getByTestId('result');
  expect(await result.getAttribute('data-kind'), (await result.textContent()) ?? '').toBe('failed');
  expect(await textOf(page, 'error-code')).toBe(code);
  expect(await textOf(page, 'error-message')).toMatch(message);
  await expectNoOverflow(page);
};

export const checkPersonasAndFaults = async (context: Context) => {
  const { playground } = context;
  const { github, google, oidc, sendgrid, twilio } = playground.emulators;

  // OAuth 2.0 social, persona: GitHub's unverified address is no email for the connector.
  await withCheckedPage(context, async (page) => {
    await page.goto(`${playground.url}/connectors/github`);
    const result = await runAndWaitForResult(page, playground, 'github', 'Sign in', (provider) =>
      provider.getByRole('button', { name: 'Sign in as Bo Tanaka — unverified email' }).click(),
    );
    expect(await result.getAttribute('data-kind')).toBe('signed-in');
    expect(await textOf(page, 'user-name')).toBe('Bo Tanaka');
    expect(await textOf(page, 'user-email')).toBe('(none)');
    expect(await textOf(page, 'raw-data')).toContain('"verified": false');
    await expectNoOverflow(page);
  });

  // OAuth 2.0 social, fault: 429 at the token endpoint is the connector's rate-limit error.
  await withCheckedPage(context, async (page) => {
    try {
      await switchFault(page, playground, 'github', 'rate-limited');
      // The list of connectors says so on the card.
      await page.goto(playground.url);
      const card = page.locator('[data-testid="connector-card"][data-slug="github"]');
      expect(await card.getByTestId('card-fault').textContent()).toBe('fault: 429');
      await page.goto(`${playground.url}/connectors/github`);
      await runAndWaitForResult(page, playground, 'github', 'Sign in', (provider) =>
        // The browser's visit to the authorization page passes the fault.
        provider.getByRole('button', { name: /^Authorize/ }).click(),
      );
      await expectFailure(page, 'rate_limit_exceeded', /rate limiting requests; retry after 30 s/);
      // Switched off from the panel, as a user would.
      await switchFault(page, playground, 'github', 'none');
    } finally {
      setEmulatorFault(github.baseUrl, undefined);
    }
  });

  // OpenID Connect social, persona: no email, a phone number (OIDC Core §5.1 claims).
  await withCheckedPage(context, async (page) => {
    await page.goto(`${playground.url}/connectors/oidc`);
    const result = await runAndWaitForResult(
      page,
      playground,
      'oidc',
      'Sign in',
      async (provider) => {
        await provider.getByRole('button', { name: /Dana Okafor/ }).click();
        await provider.getByRole('button', { name: 'Allow' }).click();
      },
    );
    expect(await result.getAttribute('data-kind')).toBe('signed-in');
    expect(await textOf(page, 'user-id')).toBe('persona-dana');
    expect(await textOf(page, 'user-phone')).toBe('+15555550123');
    expect(await textOf(page, 'user-email')).toBe('(none)');
    await expectNoOverflow(page);
  });

  // OpenID Connect social, fault: a 503 HTML page from Google's token endpoint.
  await withCheckedPage(context, async (page) => {
    try {
      await switchFault(page, playground, 'google', 'html-503');
      await runAndWaitForResult(page, playground, 'google', 'Sign in', (provider) =>
        provider.getByRole('button', { name: /Alice Liddell/ }).click(),
      );
      await expectFailure(page, 'general', /answered HTTP 503/);
      // The OpenID Provider emulator is another switch: it still answers.
      expect(oidc.issuer).not.toBe(google.issuer);
    } finally {
      setEmulatorFault(google.issuer, undefined);
    }
  });

  // Email API, fault: SendGrid's Mail Send answers 503 HTML.
  await withCheckedPage(context, async (page) => {
    try {
      await switchFault(page, playground, 'sendgrid', 'html-503');
      await runAndWaitForResult(page, playground, 'sendgrid', 'Send test email');
      await expectFailure(page, 'general', /answered HTTP 503/);
    } finally {
      setEmulatorFault(sendgrid.url, undefined);
    }
  });

  // SMS API, fault: Twilio rate limits with Retry-After.
  await withCheckedPage(context, async (page) => {
    try {
      await switchFault(page, playground, 'twilio-sms', 'rate-limited');
      await page.locator('#sms-to').fill('4512345678');
      await runAndWaitForResult(page, playground, 'twilio-sms', 'Send test SMS');
      await expectFailure(page, 'rate_limit_exceeded', /retry after 30 s/);
    } finally {
      setEmulatorFault(twilio.url, undefined);
    }
  });
};
