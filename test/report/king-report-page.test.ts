import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { reportInChromium } from './report-in-chromium.js';
import { ARTIFACTS, KING_EXAMPLE, simulatedTrace } from './support.js';

/**
 * King reports in headless Chromium: the example of docs/king.md (n=4, t=1, the commander, king of
 * phase 1, equivocates), whose every number is derived by hand in king-model.test.ts, and a large
 * run whose messages are drawn as one wedge per sender and round.
 */
describe('the report of a King run in Chromium', () => {
  const { trace } = simulatedTrace(
    KING_EXAMPLE.n,
    KING_EXAMPLE.t,
    KING_EXAMPLE.order,
    KING_EXAMPLE.roster,
    'king',
    'king',
  );
  const report = reportInChromium('report-king.html', trace);
  const { file, requests, errors } = report;

  it('loads with no error, fetches nothing, is titled King(1), and has no EIG tree', async () => {
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    assert.match(
      (await report.page.locator('h1').textContent()) ?? '',
      /^King\(1\) among 4 generals, order ATTACK/,
    );
    assert.equal(await report.page.locator('#eig').count(), 0);
    assert.match((await report.page.locator('#ic1').textContent()) ?? '', /^IC1 holds/);
    assert.equal(await report.page.locator('#count-batches').textContent(), '57');
    assert.equal(await report.page.locator('#count-lies').textContent(), '6');
  });

  it('draws a band per phase naming its king, the traitor king of phase 1 marked', async () => {
    const labels = await report.page.locator('#lamport .phase-label').allTextContents();
    assert.deepEqual(labels, ['phase 1 · king G0 (traitor, equivocate)', 'phase 2 · king G1 (loyal)']);
    assert.equal(
      await report.page.locator('#lamport .phase-band.traitor-king').getAttribute('data-phase'),
      '1',
    );
  });

  it("draws an arrow per message: the kings' rounds highlighted, the lies to 2 in red, 2's propose(none) dashed", async () => {
    assert.equal(await report.page.locator('#lamport line.arrow').count(), 57);
    assert.equal(await report.page.locator('#lamport line.arrow.king').count(), 6);
    assert.equal(await report.page.locator('#lamport line.arrow.lie').count(), 6);
    assert.equal(await report.page.locator('#lamport line.arrow.none').count(), 6);
    const arrow = report.page.locator('#lamport line.arrow.king.lie');
    assert.equal(await arrow.count(), 1);
    await arrow.dispatchEvent('click');
    const detail = report.page.locator('#detail');
    assert.equal(await detail.getAttribute('data-arrow'), '3:0:2');
    assert.equal(
      await detail.locator('h3').textContent(),
      "Round 3 (phase 1, king): general 0 → general 2: the king's RETREAT",
    );
    assert.match((await detail.textContent()) ?? '', /A lie: a loyal general 0 would have sent ATTACK/);
  });

  it('shows every x by phase: 2 goes R, R, A, taking the king each time', async () => {
    const row = (id: number) =>
      report.page
        .locator(`#x-grid tr[data-general="${id}"] td.x`)
        .evaluateAll((cells) =>
          cells.map(
            (c) =>
              `${c.textContent}${c.classList.contains('took') ? '*' : ''}${c.classList.contains('king') ? 'K' : ''}`,
          ),
        );
    assert.deepEqual(await row(2), ['R', 'R*', 'A*']);
    assert.deepEqual(await row(1), ['A', 'A', 'AK']);
    assert.deepEqual(await row(0), ['A', 'AK', 'A']);
    assert.deepEqual(
      await report.page.locator('#phases-table tbody tr').evaluateAll((rows) => rows.map((r) => r.className)),
      ['split', 'agree'],
    );
  });

  it('explains a clicked cell: the counts that moved x', async () => {
    await report.page.locator('#x-grid td[data-g="2"][data-p="1"]').click();
    const detail = report.page.locator('#phase-detail');
    assert.equal(await detail.getAttribute('data-cell'), '2:1');
    assert.equal(
      await detail.locator('h3').textContent(),
      'General 2, phase 1 (king 0): x RETREAT → RETREAT',
    );
    const steps = await detail.locator('li').allTextContents();
    assert.deepEqual(steps, [
      'value round: c(ATTACK) = 2, c(RETREAT) = 2 (its own included); n-t = 3, so it proposed none',
      'propose round: P(ATTACK) = 2, P(RETREAT) = 1; a value with P > t = 1 becomes x',
      "king round: the king sent RETREAT; P(x) < n-t, so it took the king's value",
    ]);
  });

  it('saves a screenshot as a test artifact', async () => {
    const image = await report.page.screenshot({ path: join(ARTIFACTS, 'report-king.png'), fullPage: true });
    assert.ok(image.length > 10_000, `screenshot of ${image.length} bytes`);
    assert.deepEqual(errors, []);
  });
});

describe('the report of a large King run in Chromium (n=40, t=13, aggregated)', () => {
  const { trace } = simulatedTrace(
    40,
    13,
    'RETREAT',
    new Map([
      [0, { kind: 'equivocate' }],
      [5, { kind: 'silent' }],
      [9, { kind: 'flip' }],
    ]),
    'king-40',
    'king',
  );
  const report = reportInChromium('report-king-40.html', trace);
  const { errors } = report;

  it('draws one wedge per sender and round (1 + 14 x 81), none per message, the silent one withheld', async () => {
    assert.deepEqual(errors, []);
    assert.equal(await report.page.locator('#lamport line.arrow').count(), 0);
    assert.equal(await report.page.locator('#lamport path.fan').count(), 1 + 14 * 81);
    // 5 sends nothing: its value and propose wedges in 14 phases and its king round (phase 6).
    assert.equal(await report.page.locator('#lamport path.fan.silent').count(), 14 * 2 + 1);
    assert.equal(await report.page.locator('#lamport .phase-band').count(), 14);
  });

  it('lists what each receiver got from a clicked wedge: the equivocating king tells the even generals the opposite', async () => {
    await report.page.locator('#lamport path.fan[data-kfan="3:0"]').dispatchEvent('click');
    const detail = report.page.locator('#detail');
    assert.equal(await detail.getAttribute('data-fan'), '3:0');
    const items = await detail.locator('.values > span').allTextContents();
    assert.equal(items.length, 39);
    // The king of phase 1 holds RETREAT (every loyal general started from its RETREAT order), and
    // equivocating tells the even ones ATTACK.
    assert.equal(items[0], "→ 1: the king's RETREAT");
    assert.equal(items[1], "→ 2: the king's ATTACK (lie)");
  });

  it('shows 40 rows of x over 14 phases; from phase 2 (a loyal king) every loyal general holds the consensus', async () => {
    assert.equal(await report.page.locator('#x-grid tbody tr').count(), 40);
    assert.equal(await report.page.locator('#x-grid td.x').count(), 40 * 15);
    const consensus = (await report.page.locator('#consensus').textContent()) ?? '';
    const agreed = /Final consensus reached: (ATTACK|RETREAT)/.exec(consensus)?.[1]?.[0];
    assert.ok(agreed !== undefined, consensus);
    const letters = await report.page
      .locator('#x-grid tr.loyal td.x')
      .evaluateAll((cells) =>
        cells.filter((c) => Number(c.getAttribute('data-p')) >= 2).map((c) => c.textContent),
      );
    assert.equal(letters.length, 37 * 13);
    assert.deepEqual(new Set(letters), new Set([agreed]));
  });
});
