import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { exitCodeOf } from '../../src/run/result.js';
import { type FaultRun, runWithFaults } from './harness.js';

const ROUND_TIMEOUT_MS = 3000;
const runs: FaultRun[] = [];
after(() => Promise.all(runs.map((r) => r.cleanup())));

describe('--drop FROM>TO on real processes', () => {
  test("a lost link: only the receiver misses the sender's value, and waits out its deadline", async () => {
    const run = await runWithFaults({
      n: 5,
      t: 1,
      order: 'ATTACK',
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      faults: new Map([[1, { dropTo: [2] }]]),
    });
    runs.push(run);
    const { result } = run;
    assert.equal(result.generals[1]?.fault, 'fault');
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    assert.equal(result.consensus, 'ATTACK');
    assert.equal(exitCodeOf(result), 0);
    assert.equal(result.generals[2]?.valuesMissing, 1);
    assert.equal(result.generals[3]?.valuesMissing, 0);
    assert.equal(result.generals[4]?.valuesMissing, 0);
    // 16 logical messages in OM(1) among 5, less the one lost.
    assert.equal(result.messages.delivered, 15);
    const closed = (await run.events(2)).find((e) => e.type === 'round-closed' && e.round === 1);
    assert.equal(closed?.timedOut, true);
    assert.deepEqual(closed?.missing, [1]);
    const drops = (await run.events(1)).filter((e) => e.type === 'fault');
    assert.deepEqual(
      drops.map((e) => [e.fault, e.round, e.to, e.values]),
      [['drop', 1, 2, 1]],
    );
    assert.match(await run.intermediateLog(1), /FAULT drop: round 1 to 2: 1 value\(s\) lost/);
    const sentTo = (await run.events(1)).filter((e) => e.type === 'batch-sent').map((e) => e.to);
    assert.deepEqual(sentTo.sort(), [3, 4]);
  });
});
