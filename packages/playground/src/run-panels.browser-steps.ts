import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Browser steps for a run's details (run-panels.ts), called from one `it` of
 * playground.browser.test.ts (the file launches Chromium once): a GitLab sign-in at its emulator,
 * its request timeline with the tokens masked, "Copy config for Logto" masked until revealed, and
 * the refresh of the sign-in's tokens with its own timeline; no horizontal overflow at 420 px with
 * the timeline open.
 */

export type RunPanelsStepsOptions = {
  playgroundUrl: string;
  /** The GitLab emulator's client secret: it must not be on the page until revealed. */
  clientSecret: string;
  expectNoOverflow: (page: Page, width: number) => Promise<void>;
  /** Where to save a picture of the timeline (the test's screenshot directory). */
  screenshotPath: string;
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The timeline's entries as `METHOD path status`. */
const timelineCalls = async (page: Page) =>
  page
    .getByTestId('timeline-entry')
    .evaluateAll((entries) =>
      entries.map(
        (entry) =>
          `${entry.getAttribute('data-method')} ${new URL(entry.querySelector('[data-testid=timeline-url]')?.textContent ?? '').pathname} ${entry.getAttribute('data-status')}`,
      ),
    );

/** Opens every request of the timeline (its headers and bodies). */
const openTimeline = async (page: Page) => {
  for (const summary of await page
    .locator('[data-testid=timeline-entry] > details > summary')
    .all()) {
    await summary.click();
  }
};

const clipboardText = (page: Page) => page.evaluate('navigator.clipboard.readText()');

/** What the run shows beside the form (the form itself holds the config as typed). */
const runPanelsHtml = async (page: Page) =>
  (
    await page
      .locator('#result, #timeline, #refresh, #logto-config')
      .evaluateAll((panels) => panels.map((panel) => panel.outerHTML))
  ).join('\n');

export const checkRunPanels = async (page: Page, options: RunPanelsStepsOptions) => {
  const { playgroundUrl, clientSecret } = options;
  await page
    .context()
    .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: playgroundUrl });

  // Sign in at the GitLab emulator (an OAuth app that issues refresh tokens).
  await page.goto(`${playgroundUrl}/connectors/gitlab`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL(`${playgroundUrl}/connectors/gitlab#result`);
  expect(await page.getByTestId('result').getAttribute('data-kind')).toBe('signed-in');

  // The timeline lists the token exchange and the userinfo call (GitLab signs in with OpenID
  // Connect), the access token masked throughout.
  expect(await timelineCalls(page)).toEqual(
    expect.arrayContaining(['POST /oauth/token 200', 'GET /oauth/userinfo 200']),
  );
  await openTimeline(page);
  const tokens = JSON.parse((await page.getByTestId('token-response').textContent()) ?? '{}') as {
    access_token: string;
  };
  const tokenPrefix = tokens.access_token.split('…')[0]!;
  expect(tokenPrefix.length).toBeGreaterThanOrEqual(3);
  const timeline = (await page.getByTestId('timeline').textContent()) ?? '';
  expect(timeline).toContain('grant_type=authorization_code');
  expect(timeline).toMatch(/authorization\s*Bearer \[redacted\]/);
  // The masked form keeps a few leading characters; the token itself never follows them.
  expect(timeline).not.toMatch(new RegExp(`${escapeRegExp(tokenPrefix)}[A-Za-z0-9._~+/=-]`));
  expect(timeline).not.toContain(clientSecret);
  await options.expectNoOverflow(page, 420);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId('timeline').screenshot({ path: options.screenshotPath });

  // Copy config for Logto: masked until revealed, on the page and in the clipboard.
  const configBox = page.getByTestId('logto-config');
  const masked = await configBox.inputValue();
  expect(masked).not.toContain(clientSecret);
  expect((JSON.parse(masked) as { clientSecret: string }).clientSecret).toContain('masked');
  expect(await runPanelsHtml(page)).not.toContain(clientSecret);
  await page.getByTestId('copy-config').click();
  await expect.poll(() => page.getByTestId('copy-status').textContent()).toBe('Copied.');
  expect(await clipboardText(page)).toBe(masked);
  await page.getByTestId('reveal-config').click();
  await page.waitForURL(`${playgroundUrl}/connectors/gitlab#logto-config`);
  expect(await page.getByTestId('logto-config-panel').getAttribute('data-revealed')).toBe('true');
  const revealed = await page.getByTestId('logto-config').inputValue();
  expect(JSON.parse(revealed)).toMatchObject({
    clientId: (JSON.parse(masked) as { clientId: string }).clientId,
    clientSecret,
  });
  await page.getByTestId('copy-config').click();
  await expect.poll(() => clipboardText(page)).toBe(revealed);

  // Refresh: getAccessTokenByRefreshToken at the emulator, its result masked, its own timeline.
  await page.getByRole('button', { name: 'Refresh token' }).click();
  await page.waitForURL(`${playgroundUrl}/connectors/gitlab#result`);
  expect(await page.getByTestId('result').getAttribute('data-kind')).toBe('refreshed');
  const refreshed = (await page.getByTestId('refreshed-token-response').textContent()) ?? '';
  expect(refreshed).toMatch(/"access_token": "\S*… \(\d+ characters, masked\)"/);
  expect(await timelineCalls(page)).toEqual(['POST /oauth/token 200']);
  await openTimeline(page);
  expect(await page.getByTestId('timeline').textContent()).toContain('grant_type=refresh_token');
  // A new run masks the config again.
  expect(await runPanelsHtml(page)).not.toContain(clientSecret);
  await options.expectNoOverflow(page, 420);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page
    .locator('#result')
    .locator('..')
    .screenshot({ path: options.screenshotPath.replace(/\.png$/, '-refreshed.png') });
};
