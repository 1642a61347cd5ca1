import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../../src/report/write.js';
import { launchChromium } from './browser.js';
import { reportInChromium } from './report-in-chromium.js';
import { ARTIFACTS, SEED, seedRoster, simulatedTrace } from './support.js';

/** Page-side: the computed stroke of an SVG element (the tests compile without DOM types). */
const STROKE = (element: unknown) =>
  (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(element)
    .stroke;

/** The seed example's report, opened in headless Chromium as a person would. */
describe('the report of the seed example in Chromium', () => {
  const { reports, trace } = simulatedTrace(SEED.n, SEED.t, SEED.order, seedRoster(), 'seed');
  const report = reportInChromium('report-seed.html', trace);
  const { file, requests, errors } = report;

  it('loads with no error and fetches nothing but itself', () => {
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [pathToFileURL(file).href]);
  });

  it('draws a lane per general, traitors 3, 4 and 7 marked', async () => {
    assert.equal(await report.page.locator('#lamport g.lane').count(), 10);
    const traitors = await report.page
      .locator('#lamport g.lane.traitor')
      .evaluateAll((lanes) => lanes.map((l) => Number(l.getAttribute('data-general'))));
    assert.deepEqual(traitors, [3, 4, 7]);
  });

  it('draws 225 arrows, the 33 that carry lies in red, each from a traitor to an even lieutenant', async () => {
    assert.equal(await report.page.locator('#lamport line.arrow').count(), 225);
    const lies = report.page.locator('#lamport line.arrow.lie');
    assert.equal(await lies.count(), 33);
    const titles = await lies.evaluateAll((lines) =>
      lines.map((l) => l.querySelector('title')?.textContent ?? ''),
    );
    for (const title of titles) {
      const match = /round (\d): general (\d) → (\d)/.exec(title);
      assert.ok(match, title);
      assert.ok(['3', '4', '7'].includes(match[2] ?? ''), title);
      assert.equal(Number(match[3]) % 2, 0, title);
    }
    const stroke = await lies.first().evaluate(STROKE);
    const plain = await report.page.locator('#lamport line.arrow:not(.lie)').first().evaluate(STROKE);
    assert.equal(stroke, 'rgb(198, 40, 40)', 'lies are drawn in red');
    assert.notEqual(stroke, plain);
  });

  it('shows the values of a clicked arrow, lies marked', async () => {
    // Round 3 from traitor 3 to 2: 42 values, every one flipped.
    const arrow = report.page.locator('#lamport line.arrow.lie', { hasText: 'round 3: general 3 → 2,' });
    await arrow.click({ force: true });
    const detail = report.page.locator('#detail');
    assert.equal(await detail.getAttribute('data-arrow'), '3:3:2');
    assert.match((await detail.locator('h3').textContent()) ?? '', /42 values, 42 lies/);
    assert.equal(await detail.locator('.values > span').count(), 42);
    assert.equal(await detail.locator('.values > span.lie').count(), 42);
    assert.match((await detail.locator('.values > span').first().textContent()) ?? '', /^0→1→4→3 RETREAT/);
  });

  it("states each general's decision and IC1, IC2", async () => {
    for (let id = 1; id < SEED.n; id++) {
      const cell = report.page.locator(`#roster-table tr[data-general="${id}"] td.decision`);
      assert.equal(await cell.textContent(), reports.get(id)?.decision);
      assert.equal(await cell.textContent(), 'ATTACK');
    }
    assert.equal(
      await report.page.locator('#roster-table tr[data-general="0"] td.decision').textContent(),
      'order ATTACK',
    );
    assert.match((await report.page.locator('#ic1').textContent()) ?? '', /^IC1 holds/);
    assert.match((await report.page.locator('#ic2').textContent()) ?? '', /^IC2 holds/);
    assert.equal(await report.page.locator('#consensus').textContent(), 'Final consensus reached: ATTACK');
    assert.equal(await report.page.locator('#count-batches').textContent(), '225');
    assert.equal(await report.page.locator('#count-values').textContent(), '3,609');
    assert.equal(await report.page.locator('#count-lies').textContent(), '550');
  });

  it("shows the first loyal lieutenant's EIG tree: root and the first two levels open, 65 nodes", async () => {
    assert.equal(await report.page.locator('#tree').getAttribute('data-lieutenant'), '1');
    assert.equal(await report.page.locator('#tree [data-path]').count(), 1 + 8 + 8 * 7);
    assert.equal(await report.page.locator('#tree [data-path="0"]').getAttribute('data-resolved'), 'A');
    assert.equal(await report.page.locator('#tree .lie').count(), 0, 'nobody lies to an odd lieutenant');
  });

  it('switches to lieutenant 2: its decision, and the lies it was told marked', async () => {
    await report.page.selectOption('#lieutenant', '2');
    assert.equal(await report.page.locator('#tree').getAttribute('data-lieutenant'), '2');
    assert.match(
      (await report.page.locator('#tree-title').textContent()) ?? '',
      /lieutenant 2, loyal: decision ATTACK/,
    );
    assert.equal(await report.page.locator('#tree [data-path="0"]').getAttribute('data-resolved'), 'A');
    // Visible lies: 3 in round 1 (0→3, 0→4, 0→7) and 7 per traitor's round-2 values among the open nodes.
    const liedPaths = await report.page
      .locator('#tree summary.lie')
      .evaluateAll((nodes) => nodes.map((n) => n.parentElement?.getAttribute('data-path') ?? ''));
    assert.ok(liedPaths.includes('0.3') && liedPaths.includes('0.4') && liedPaths.includes('0.7'));
    for (const path of liedPaths) assert.ok(['3', '4', '7'].includes(path.split('.').at(-1) ?? ''), path);
    // Leaves appear when a node is opened: 6 under 0→1→3.
    await report.page.locator('#tree details[data-path="0.1.3"] > summary').click();
    // The page draws a node's leaves when it opens: wait for them rather than race the click.
    const leaves = report.page.locator('#tree details[data-path="0.1.3"] > .leaf');
    await leaves.first().waitFor({ state: 'attached', timeout: 10_000 });
    assert.equal(await leaves.count(), 6);
  });

  it('switches to a traitor (lieutenant 7) and to every other lieutenant, each tree resolving to its decision', async () => {
    for (let id = 1; id < SEED.n; id++) {
      await report.page.selectOption('#lieutenant', String(id));
      const expected = reports.get(id)?.decision === 'ATTACK' ? 'A' : 'R';
      assert.equal(
        await report.page.locator('#tree [data-path="0"]').getAttribute('data-resolved'),
        expected,
        `lieutenant ${id}`,
      );
    }
    await report.page.selectOption('#lieutenant', '7');
    assert.match(
      (await report.page.locator('#tree-title').textContent()) ?? '',
      /lieutenant 7, a traitor \(equivocate\)/,
    );
    await report.page.selectOption('#lieutenant', '2');
  });

  it('saves a screenshot as a test artifact', async () => {
    const shot = join(ARTIFACTS, 'report-seed.png');
    const image = await report.page.screenshot({ path: shot, fullPage: true });
    assert.ok(image.length > 10_000, `screenshot of ${image.length} bytes`);
    assert.deepEqual(errors, []);
  });
});

describe('an aggregated report in Chromium (n=16, t=2: 435 batches)', () => {
  it('draws fans, and a clicked fan lists its 14 batches', async () => {
    const { trace } = simulatedTrace(16, 2, 'ATTACK', new Map([[5, { kind: 'flip' }]]), 'wide');
    const file = join(ARTIFACTS, 'report-wide.html');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeReport(file, trace);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => {
        errors.push(String(error));
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-ready="1"]');
      assert.equal(await page.locator('#lamport line.arrow').count(), 0);
      assert.equal(await page.locator('#lamport g.lane').count(), 16);
      assert.equal(await page.locator('#lamport path.fan.lie').count(), 2);
      await page.locator('#lamport path.fan.lie[data-fan="2:5"]').click({ force: true });
      assert.equal(await page.locator('#detail button').count(), 14);
      await page.locator('#detail button').first().click();
      assert.equal(await page.locator('#detail').getAttribute('data-arrow'), '2:5:1');
      assert.equal(await page.locator('#detail .values > span.lie').count(), 13);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
