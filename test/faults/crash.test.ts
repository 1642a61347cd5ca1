import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { exitCodeOf } from '../../src/run/result.js';
import { type FaultRun, runWithFaults } from './harness.js';

// Generous deadlines: the machine may be loaded, and a slow first connection must not look like a fault.
const ROUND_TIMEOUT_MS = 3000;
const runs: FaultRun[] = [];
after(() => Promise.all(runs.map((r) => r.cleanup())));

describe('--crash ID@ROUND on real processes', () => {
  test('a lieutenant that crashes as round 1 starts: judged faulty, the rest agree on the order', async () => {
    // n=5, t=1: each lieutenant holds 1 + (n-2) = 4 values; general 2 never sends its round-1 batch of 1.
    const run = await runWithFaults({
      n: 5,
      t: 1,
      order: 'ATTACK',
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      faults: new Map([[2, { crashRound: 1 }]]),
    });
    runs.push(run);
    const { result } = run;
    assert.match(run.casualties.get(2) ?? '', /^exit status 70/);
    assert.deepEqual([...run.casualties.keys()], [2]);
    assert.equal(result.generals[2]?.reachable, false);
    assert.equal(result.generals[2]?.fault, 'fault');
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    assert.equal(result.consensus, 'ATTACK');
    assert.equal(exitCodeOf(result), 0);
    for (const id of [1, 3, 4]) {
      const g = result.generals[id];
      assert.equal(g?.decision, 'ATTACK', `general ${id}`);
      assert.equal(g?.valuesMissing, 1, `general ${id} misses exactly the crashed general's value`);
      assert.equal(g?.valuesReceived, 3, `general ${id}`);
      const closed = (await run.events(id)).find((e) => e.type === 'round-closed' && e.round === 1);
      assert.equal(closed?.timedOut, true);
      assert.deepEqual(closed?.missing, [2]);
    }
    assert.match(await run.intermediateLog(2), /FAULT crash: exiting as round 1 starts/);
    const faults = (await run.events(2)).filter((e) => e.type === 'fault');
    assert.deepEqual(
      faults.map((e) => [e.fault, e.round]),
      [['crash', 1]],
    );
    // It crashed before relaying: no batch of round 1 ever left it.
    const sent = (await run.events(2)).filter((e) => e.type === 'batch-sent');
    assert.equal(sent.length, 0);
  });

  test('a commander that crashes as round 0 starts: no order, the lieutenants agree on RETREAT', async () => {
    const run = await runWithFaults({
      n: 4,
      t: 1,
      order: 'ATTACK',
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      faults: new Map([[0, { crashRound: 0 }]]),
    });
    runs.push(run);
    const { result } = run;
    assert.match(run.casualties.get(0) ?? '', /^exit status 70/);
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true, 'IC2 is vacuous when the commander is faulty');
    assert.equal(result.consensus, 'RETREAT');
    assert.equal(exitCodeOf(result), 0);
    for (const id of [1, 2, 3]) {
      // Missing: the round-0 value only; the lieutenants relay their (default) RETREAT to each other.
      assert.equal(result.generals[id]?.valuesMissing, 1, `general ${id}`);
    }
    assert.match(await run.intermediateLog(0), /FAULT crash: exiting as round 0 starts/);
  });
});
