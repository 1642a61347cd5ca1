import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_PACKAGE, chromiumEnv, chromiumPackage, unpackedChromium } from './packaged-chromium.js';

/**
 * The browser the report's tests open: the binary CHROMIUM_PATH names when it is set, else the
 * Chromium inside the dev dependency @sparticuz/chromium (unpacked on first use; nothing to install).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || CHROMIUM_PACKAGE;

/** No browser to launch: CHROMIUM_PATH names nothing runnable, or the package's cannot be unpacked. */
export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
}

/** A browser was there but did not start. */
export class ChromiumStartError extends Error {
  override readonly name = 'ChromiumStartError';
}

/** Flags for a browser CHROMIUM_PATH names (a desktop build: Debian's, Chrome for Testing). */
const DESKTOP_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The package's flags suit a serverless sandbox; three of them do not suit these tests:
 * `--single-process` lets a browser hold only one context (the bench's second page fails), and the
 * two that lift the same-origin and mixed-content rules would let a report pass here that a
 * reader's browser would block.
 */
const NOT_FOR_REPORT_TESTS: ReadonlySet<string> = new Set([
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
]);

interface Chosen {
  readonly executablePath: string;
  readonly args: readonly string[];
  /** Says which browser, in error messages. */
  readonly label: string;
  /** What to do when it does not start. */
  readonly remedy: string;
  /** The browser's environment, when it is not this process's. */
  readonly env?: Record<string, string>;
}

async function choose(): Promise<Chosen> {
  if (CHROMIUM !== CHROMIUM_PACKAGE) {
    try {
      accessSync(CHROMIUM, constants.X_OK);
    } catch (error) {
      throw new ChromiumMissingError(
        `CHROMIUM_PATH is ${CHROMIUM}, which is not an executable file: point it to a Chromium or Chrome ` +
          `binary, or unset it to use the Chromium inside ${CHROMIUM_PACKAGE} (installed by \`npm ci\`)`,
        { cause: error },
      );
    }
    return {
      executablePath: CHROMIUM,
      args: DESKTOP_ARGS,
      label: `the Chromium at ${CHROMIUM} (CHROMIUM_PATH)`,
      remedy: `point CHROMIUM_PATH to a browser that starts here, or unset it to use the Chromium inside ${CHROMIUM_PACKAGE}`,
    };
  }
  try {
    const pkg = chromiumPackage();
    const executablePath = await unpackedChromium(pkg);
    const { default: packaged } = await import('@sparticuz/chromium');
    return {
      executablePath,
      env: await chromiumEnv(executablePath),
      args: packaged.args.filter((flag) => !NOT_FOR_REPORT_TESTS.has(flag)),
      label: `the Chromium of ${CHROMIUM_PACKAGE} ${pkg.version} at ${executablePath}`,
      remedy: 'set CHROMIUM_PATH to a browser that starts here',
    };
  } catch (error) {
    throw new ChromiumMissingError(
      `no Chromium for the report's browser tests: ${error instanceof Error ? error.message : String(error)}. ` +
        `Run \`npm ci\` (${CHROMIUM_PACKAGE} is a dev dependency that ships the browser), ` +
        'or set CHROMIUM_PATH to a Chromium binary',
      { cause: error },
    );
  }
}

/** Headless Chromium, or a failure that says why and what to do: a browser test never skips. */
export async function launchChromium(): Promise<Browser> {
  const chosen = await choose();
  try {
    return await chromium.launch({
      executablePath: chosen.executablePath,
      headless: true,
      args: [...chosen.args],
      ...(chosen.env === undefined ? {} : { env: chosen.env }),
    });
  } catch (error) {
    throw new ChromiumStartError(`${chosen.label} did not start: ${startAdvice(error, chosen.remedy)}`, {
      cause: error,
    });
  }
}

/** Debian's package for each library Chromium loads from the system. */
const LIBRARY_PACKAGES: Readonly<Record<string, string>> = {
  'libnss3.so': 'libnss3',
  'libnssutil3.so': 'libnss3',
  'libnspr4.so': 'libnspr4',
  'libplc4.so': 'libnspr4',
  'libplds4.so': 'libnspr4',
  'libexpat.so.1': 'libexpat1',
};

function startAdvice(error: unknown, remedy: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const loader = /error while loading shared libraries: ([^:\s]+): ([^\n]+)/.exec(message);
  if (loader?.[1] !== undefined) {
    const debian = LIBRARY_PACKAGES[basename(loader[1])];
    return (
      `it could not load the system library ${loader[1]} (${loader[2]})` +
      (debian === undefined ? '' : `: on Debian, \`apt-get install -y ${debian}\``) +
      `; or ${remedy}`
    );
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && UNWRITABLE.has(code) && message.includes(tmpdir())) {
    return `the temporary directory ${tmpdir()} is not writable (${code}), and Playwright and Chromium write their profile there: set TMPDIR to a writable directory`;
  }
  return `${message.split('\n')[0] ?? ''}; ${remedy} (the cause below holds Playwright's full report)`;
}

const UNWRITABLE: ReadonlySet<string> = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC']);

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
