import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { exitCodeOf } from '../../src/run/result.js';
import { type FaultRun, runWithFaults } from './harness.js';

const ROUND_TIMEOUT_MS = 3000;
/** Round 1, the last for t=1, ends 2 deadlines after a general joins: this is 1.5 s past that. */
const LATE_DELAY_MS = 2.5 * ROUND_TIMEOUT_MS;
const runs: FaultRun[] = [];
after(() => Promise.all(runs.map((r) => r.cleanup())));

describe('--delay ID:MS on real processes', () => {
  test('later than the round deadline: the late batches are refused and count as missing', async () => {
    const run = await runWithFaults({
      n: 5,
      t: 1,
      order: 'ATTACK',
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      faults: new Map([[3, { delayMs: LATE_DELAY_MS }]]),
    });
    runs.push(run);
    const { result } = run;
    assert.equal(result.generals[3]?.fault, 'fault');
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    assert.equal(exitCodeOf(result), 0);
    for (const id of [1, 2, 4]) {
      assert.equal(result.generals[id]?.valuesMissing, 1, `general ${id} misses general 3's round-1 value`);
      const events = await run.events(id);
      const closed = events.find((e) => e.type === 'round-closed' && e.round === 1);
      assert.deepEqual(closed?.missing, [3]);
      const refused = events.filter((e) => e.type === 'batch-rejected' && e.from === 3);
      assert.deepEqual(
        refused.map((e) => [e.round, e.code]),
        [[1, 'round-closed']],
        `general ${id}`,
      );
    }
    // The delayed general logs one FAULT delay per batch it sent: 3 in round 1 (to 1, 2 and 4).
    const delays = (await run.events(3)).filter((e) => e.type === 'fault');
    assert.deepEqual(
      delays.map((e) => [e.fault, e.round, e.to, e.delayMs]),
      [1, 2, 4].map((to) => ['delay', 1, to, LATE_DELAY_MS]),
    );
    assert.equal(
      (await run.intermediateLog(3)).match(/FAULT delay: round 1 to \d: held back 7500 ms/g)?.length,
      3,
    );
  });

  test('shorter than the round deadline: every value arrives, only later', async () => {
    const run = await runWithFaults({
      n: 5,
      t: 1,
      order: 'RETREAT',
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      faults: new Map([[3, { delayMs: 300 }]]),
    });
    runs.push(run);
    const { result } = run;
    assert.equal(result.consensus, 'RETREAT');
    for (const id of [1, 2, 3, 4]) assert.equal(result.generals[id]?.valuesMissing, 0, `general ${id}`);
    // 1 + 4x3 + ... : every logical message of OM(1) among 5 is delivered: 4 + 4x3 = 16.
    assert.equal(result.messages.delivered, 16);
    assert.ok(result.elapsedMs >= 300, 'the delayed round cannot end before the delay');
  });
});
