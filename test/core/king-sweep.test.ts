import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Strategy } from '../../src/core/strategy.js';
import { simulate } from '../../src/sim/simulate.js';
import { range, subsetsOfSize } from '../support/combinatorics.js';
import { checkKingCase } from '../support/king-cases.js';
import { caseCount, everyCase, ORDERS } from '../support/sweep-cases.js';
import { inWorkers } from '../support/worker-threads.js';

/**
 * Exhaustive sweeps of the King algorithm as for OM: every traitor set up to t (the commander among
 * them or not), each traitor equivocate, flip or silent, both orders, for n = 4..10 with the largest
 * t that n > 3t allows, each case checked against the reference King of test/support and the counts
 * derived by hand (test/support/king-cases.ts). n=10, t=3 has 7,352 cases of 765 messages each: it
 * runs on worker threads, one per core, every core taking every k-th case.
 */

function sweep(n: number, t: number): { run: number; violations: number } {
  let run = 0;
  let violations = 0;
  for (const c of everyCase(n, t)) {
    const verdict = checkKingCase(c);
    assert.deepEqual(verdict.problems, []);
    if (!verdict.ic1 || !verdict.ic2) violations++;
    run++;
  }
  return { run, violations };
}

describe('King: exhaustive sweeps over every traitor set and deterministic strategy', () => {
  test('the case counts are 2 x sum_k C(n,k) 3^k: 26 for n=4, 422 for n=7, 7,352 for n=10', () => {
    assert.deepEqual(
      [
        [4, 1],
        [7, 2],
        [10, 3],
        [3, 1],
      ].map(([n, t]) => caseCount(n ?? 0, t ?? 0)),
      [2 * (1 + 12), 2 * (1 + 21 + 21 * 9), 2 * (1 + 30 + 45 * 9 + 120 * 27), 2 * (1 + 9)],
    );
    assert.equal(everyCase(10, 3).length, 7352);
    assert.equal(everyCase(10, 3).filter((c) => c.traitors.has(0)).length, 2 * (3 + 9 * 9 + 36 * 27));
  });

  for (const [n, t] of [
    [4, 1],
    [5, 1],
    [6, 1],
    [7, 2],
    [8, 2],
    [9, 2],
  ] as const) {
    test(`n=${n}, t=${t} (n > 3t): IC1 and IC2 hold in all ${caseCount(n, t)} cases, every x and tally matches the reference, counts are exact`, () => {
      const { run, violations } = sweep(n, t);
      assert.equal(run, caseCount(n, t));
      assert.equal(violations, 0);
    });
  }

  test('n=10, t=3 (n > 3t): IC1 and IC2 hold in all 7,352 cases, on worker threads', async () => {
    type Answer = { run: number; violations: number; problems: string[] };
    const answers = await inWorkers<Answer>(
      new URL('../support/king-sweep-worker.ts', import.meta.url),
      (offset, stride) => ({ n: 10, t: 3, offset, stride }),
    );
    assert.deepEqual(
      answers.flatMap((a) => a.problems),
      [],
    );
    assert.equal(
      answers.reduce((sum, a) => sum + a.run, 0),
      7352,
    );
    assert.equal(
      answers.reduce((sum, a) => sum + a.violations, 0),
      0,
    );
  });

  test('n=3, t=1 (n = 3t): a two-faced commander splits the loyal lieutenants, and the run says so', () => {
    const { run, violations } = sweep(3, 1);
    assert.equal(run, caseCount(3, 1));
    assert.ok(violations > 0, 'no violation at n = 3t');
    // By hand: 0 equivocates ATTACK: 1 (odd) holds A, 2 (even) R. Each sees c=2 >= n-t=2 for its own
    // value with the commander's (two-faced) help, proposes it, keeps it (P=2 >= n-t) in both phases.
    const result = simulate({
      n: 3,
      t: 1,
      order: 'ATTACK',
      roster: new Map([[0, { kind: 'equivocate' }]]),
      algorithm: 'king',
    });
    assert.deepEqual(
      [result.generals[1]?.decision, result.generals[2]?.decision, result.ic1, result.consensus],
      ['ATTACK', 'RETREAT', false, null],
    );
    assert.deepEqual([result.generals[1]?.xByPhase, result.generals[2]?.xByPhase], ['AAA', 'RRR']);
  });

  test('n=6, t=2 (n = 3t): the deterministic strategies do not break it, but random ones do', () => {
    const { run, violations } = sweep(6, 2);
    assert.equal(run, caseCount(6, 2));
    assert.equal(violations, 0, 'equivocate, flip and silent do not split n=6');
    // Found by sweeping seeds 1..3000 of two random traitors (docs/king.md): the commander (king of
    // phase 1) and general 2 (king of phase 3) draw lies that leave 3 on RETREAT, 1, 4 and 5 on ATTACK.
    const result = simulate({
      n: 6,
      t: 2,
      order: 'ATTACK',
      roster: new Map<number, Strategy>([
        [0, { kind: 'random', seed: 889 }],
        [2, { kind: 'random', seed: 890 }],
      ]),
      algorithm: 'king',
    });
    assert.deepEqual(
      [1, 3, 4, 5].map((id) => result.generals[id]?.decision),
      ['ATTACK', 'RETREAT', 'ATTACK', 'ATTACK'],
    );
    assert.deepEqual([result.ic1, result.ic2, result.unsafe], [false, true, true]);
  });

  test('n=7, t=2 with random:SEED traitors (any pair, commander included, 10 seeds): IC1 and IC2 hold', () => {
    let run = 0;
    for (const order of ORDERS) {
      for (const pair of subsetsOfSize(range(0, 7), 2)) {
        for (let seed = 1; seed <= 10; seed++) {
          const roster = new Map<number, Strategy>(
            pair.map((id, i) => [id, { kind: 'random', seed: seed * 100 + i }]),
          );
          const result = simulate({ n: 7, t: 2, order, roster, algorithm: 'king' });
          const loyal = result.generals.filter((g) => g.id !== 0 && !g.traitor).map((g) => g.decision);
          const name = `${order} random traitors ${pair} seed ${seed}`;
          assert.equal(new Set(loyal).size, 1, `${name}: IC1`);
          if (!pair.includes(0))
            assert.ok(
              loyal.every((d) => d === order),
              `${name}: IC2`,
            );
          run++;
        }
      }
    }
    assert.equal(run, 2 * 21 * 10);
  });
});
