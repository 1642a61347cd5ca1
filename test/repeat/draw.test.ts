import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drawRun, type RepeatPlan } from '../../src/run/repeat.js';

const plan: RepeatPlan = { seed: 42, runs: 200, n: 10, t: 3, order: undefined, drawStrategies: true };

describe('repeated runs drawn from a seed', () => {
  test('the same seed and run number always draw the same run, whatever K is', () => {
    for (let run = 1; run <= 50; run++) {
      assert.deepEqual(drawRun(plan, run), drawRun({ ...plan, runs: 3 }, run));
    }
    assert.notDeepEqual(
      [1, 2, 3, 4, 5].map((r) => drawRun(plan, r)),
      [1, 2, 3, 4, 5].map((r) => drawRun({ ...plan, seed: 43 }, r)),
    );
  });

  test('without --traitors: t distinct ids in 0..n-1, the commander sometimes among them', () => {
    let commander = 0;
    for (let run = 1; run <= plan.runs; run++) {
      const ids = [...drawRun(plan, run).roster.keys()];
      assert.equal(ids.length, 3);
      assert.equal(new Set(ids).size, 3);
      assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id < 10));
      if (ids.includes(0)) commander++;
    }
    // 3 of 10 ids: the commander is picked in about 30% of 200 runs.
    assert.ok(commander > 20 && commander < 100, `commander picked ${commander} times`);
  });

  test('every strategy is drawn, random with a seed of its own, and both orders', () => {
    const kinds = new Set<string>();
    const randomSeeds = new Set<number>();
    const orders = new Set<string>();
    for (let run = 1; run <= plan.runs; run++) {
      const drawn = drawRun(plan, run);
      orders.add(drawn.order);
      for (const s of drawn.roster.values()) {
        kinds.add(s.kind);
        if (s.kind === 'random') randomSeeds.add(s.seed);
      }
    }
    assert.deepEqual([...kinds].sort(), ['equivocate', 'flip', 'random', 'silent']);
    assert.ok(randomSeeds.size > 50);
    assert.deepEqual([...orders].sort(), ['ATTACK', 'RETREAT']);
  });

  test('fixed ids and a fixed order stay fixed; the client draws only the order', () => {
    const fixed = { ...plan, traitorIds: [7, 3], order: 'RETREAT' as const };
    for (let run = 1; run <= 20; run++) {
      const drawn = drawRun(fixed, run);
      assert.deepEqual([...drawn.roster.keys()], [3, 7]);
      assert.equal(drawn.order, 'RETREAT');
    }
    const roster = new Map([[4, { kind: 'flip' as const }]]);
    const client = drawRun({ ...plan, drawStrategies: false }, 1, roster);
    assert.equal(client.roster, roster);
  });
});
