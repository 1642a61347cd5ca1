import { accessSync, constants } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); browser downloads are not possible here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
}

/** Headless Chromium, or a failure that says how to install it: a browser test never skips. */
export async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new ChromiumMissingError(
      `no Chromium at ${CHROMIUM}: the report's browser tests need Debian's package ` +
        '(run `apt-get install -y chromium` as root, or set CHROMIUM_PATH to a Chromium binary)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens a written report as a person would (1400x1000) and waits until its script is ready; every
 * request the page makes and every error it raises go to `seen`, for the test to assert on.
 */
export async function openReport(
  file: string,
  seen: { readonly requests: string[]; readonly errors: string[] },
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('request', (request) => {
    seen.requests.push(request.url());
  });
  page.on('pageerror', (error) => {
    seen.errors.push(String(error));
  });
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="1"]');
  return { browser, page };
}
