import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The page checks every browser test of the playground makes, shared by playground.browser.test.ts
 * and the step modules it calls (one Chromium launch for the whole file).
 */

export type Viewport = { width: number; height: number };

/**
 * A fresh browser profile (no SSO session at an emulator) whose problems fail the test: a script
 * error, a console error, an HTTP 500 or a 404 (the favicon) from the playground itself, opened at
 * 127.0.0.1 or at localhost. Emulator pages are not the playground's to judge.
 */
export const withCheckedPage = async (
  browser: Browser,
  playgroundUrl: string,
  viewport: Viewport,
  run: (page: Page) => Promise<void>,
) => {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const localhostUrl = `http://localhost:${new URL(playgroundUrl).port}`;
  const isPlayground = (url: string) =>
    url.startsWith(playgroundUrl) || url.startsWith(localhostUrl);
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

/** No horizontal scrolling of the page at `width`, and nothing wider than its panel. */
export const expectNoOverflow = async (page: Page, width: number) => {
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

/** The page at 420 px (a phone) and at 1280 px (a laptop). */
export const expectNoOverflowAtBothWidths = async (page: Page) => {
  await expectNoOverflow(page, 420);
  await expectNoOverflow(page, 1280);
};
