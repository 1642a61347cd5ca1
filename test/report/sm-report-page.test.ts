import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { reportInChromium } from './report-in-chromium.js';
import { ARTIFACTS, SM_EXAMPLE, simulatedTrace } from './support.js';

/**
 * The report of docs/signed-messages.md's SM example (n=4, t=2, commander equivocates, 3 flips,
 * ATTACK) in headless Chromium. What it should show is derived by hand in sm-model.test.ts.
 */
describe('the report of an SM run in Chromium', () => {
  const { trace } = simulatedTrace(
    SM_EXAMPLE.n,
    SM_EXAMPLE.t,
    SM_EXAMPLE.order,
    SM_EXAMPLE.roster,
    'sm',
    'sm',
  );
  const report = reportInChromium('report-sm.html', trace);
  const { file, requests, errors } = report;

  it('loads with no error, fetches nothing, and is titled SM(2)', async () => {
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    assert.match(
      (await report.page.locator('h1').textContent()) ?? '',
      /^SM\(2\) among 4 generals, order ATTACK/,
    );
    assert.equal(await report.page.locator('#eig').count(), 0, 'no EIG tree under SM');
  });

  it('states the verdict, the decisions and the chain counts', async () => {
    assert.match((await report.page.locator('#ic1').textContent()) ?? '', /^IC1 holds/);
    assert.equal(await report.page.locator('#consensus').textContent(), 'Final consensus reached: RETREAT');
    for (const id of [1, 2, 3]) {
      const row = report.page.locator(`#roster-table tr[data-general="${id}"]`);
      assert.equal(await row.locator('td.decision').textContent(), 'RETREAT');
      assert.equal(await row.locator('td.resolved').textContent(), 'RETREAT ✓');
    }
    assert.equal(await report.page.locator('#count-batches').textContent(), '15');
    assert.equal(await report.page.locator('#count-chains').textContent(), '12');
    assert.equal(await report.page.locator('#count-valid').textContent(), '9');
    assert.equal(await report.page.locator('#count-invalid').textContent(), '3');
    assert.equal(await report.page.locator('#count-lies').textContent(), '4');
  });

  it('shows V and choice(V) for lieutenants 1 and 2', async () => {
    for (const id of [1, 2]) {
      const view = report.page.locator(`#chains-${id}`);
      assert.equal(await view.getAttribute('open'), '', `lieutenant ${id}'s chains are open`);
      assert.equal(await view.locator('.v-set').textContent(), 'V = {ATTACK, RETREAT}');
      assert.match(
        (await view.locator('.choice').textContent()) ?? '',
        /^choice\(V\) = RETREAT,.*reported RETREAT ✓/,
      );
      assert.ok(await view.locator('.v-set').isVisible());
    }
  });

  it("marks the chains 1 and 2 ignored: 3's tampered relays, also named as 3's lies", async () => {
    const ignored = (id: number) =>
      report.page
        .locator(`#chains-${id} tr.chain.ignored`)
        .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-signers')} ${r.textContent}`));
    const one = await ignored(1);
    assert.equal(one.length, 2);
    assert.match(one[0] ?? '', /^0\.3 .*RETREAT.*IGNORED.*lie by general 3 \(loyal: ATTACK\)/);
    assert.match(one[1] ?? '', /^0\.2\.3 .*ATTACK.*IGNORED.*lie by general 3 \(loyal: RETREAT\)/);
    const two = await ignored(2);
    assert.equal(two.length, 1);
    assert.match(two[0] ?? '', /^0\.3 /);
    // The accepted ones: 1 holds 0 (A) and 0.2 (R); 2 holds 0 (R, the commander's lie) and 0.1 (A).
    const accepted = (id: number) =>
      report.page
        .locator(`#chains-${id} tr.chain.valid`)
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-signers')));
    assert.deepEqual(await accepted(1), ['0', '0.2']);
    assert.deepEqual(await accepted(2), ['0', '0.1']);
    assert.equal(await report.page.locator('#chains-2 tr.chain.valid.lie').getAttribute('data-signers'), '0');
  });

  it('draws the tampered relays dash-dot and in red, and lists a clicked one as ignored', async () => {
    const invalid = report.page.locator('#lamport line.arrow.invalid');
    assert.equal(await invalid.count(), 3);
    assert.equal(await report.page.locator('#lamport line.arrow.invalid.lie').count(), 3);
    assert.equal(
      await report.page.locator('#lamport line.arrow.lie:not(.invalid)').count(),
      1,
      "the commander's lie to 2",
    );
    const arrow = report.page.locator('#lamport line.arrow.invalid', { hasText: 'round 2: general 3 → 1,' });
    // A 1px slanted line: its bounding box's centre may miss the stroke, so the click goes to the line itself.
    await arrow.dispatchEvent('click');
    const detail = report.page.locator('#detail');
    assert.equal(await detail.getAttribute('data-arrow'), '2:3:1');
    assert.match((await detail.locator('h3').textContent()) ?? '', /1 values, 1 lie, 1 ignored/);
    const value = detail.locator('.values > span');
    assert.equal(await value.count(), 1);
    assert.match(
      (await value.textContent()) ?? '',
      /^chain 0\.2\.3 ATTACK \(lie; loyal: RETREAT\)\s*IGNORED/,
    );
    assert.equal(await detail.locator('.values > span.invalid.lie').count(), 1);
  });

  it('saves a screenshot as a test artifact', async () => {
    const image = await report.page.screenshot({ path: join(ARTIFACTS, 'report-sm.png'), fullPage: true });
    assert.ok(image.length > 10_000, `screenshot of ${image.length} bytes`);
    assert.deepEqual(errors, []);
  });
});
