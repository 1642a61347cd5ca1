import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunTrace } from '../../src/report/trace.js';
import { writeReport } from '../../src/report/write.js';
import { openReport } from './browser.js';
import { ARTIFACTS } from './support.js';

export interface ReportInChromium {
  readonly file: string;
  /** Every request the page made, and every error it raised. */
  readonly requests: readonly string[];
  readonly errors: readonly string[];
  /** The open page: there from the block's before hook to its after hook. */
  readonly page: Page;
}

/**
 * A run's report, written to test-artifacts/`name` and opened in headless Chromium as a person
 * would, for the tests of the describe block that calls this: the before and after hooks that open
 * and close the browser are registered here.
 */
export function reportInChromium(name: string, trace: RunTrace): ReportInChromium {
  const file = join(ARTIFACTS, name);
  const requests: string[] = [];
  const errors: string[] = [];
  let opened: { browser: Browser; page: Page } | undefined;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeReport(file, trace);
    opened = await openReport(file, { requests, errors });
  });
  after(async () => {
    await opened?.browser.close();
  });
  return {
    file,
    requests,
    errors,
    get page() {
      if (opened === undefined) throw new Error(`the report ${name} is not open: ask for its page in a test`);
      return opened.page;
    },
  };
}
