import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Strategy } from '../../src/core/strategy.js';
import { runInMemory } from '../../src/sim/network.js';
import { simulate } from '../../src/sim/simulate.js';
import { fallingFactorial, range, subsetsOfSize } from '../support/combinatorics.js';
import { referenceDecisions } from '../support/reference-om.js';
import { caseCount, caseLabel, everyCase, ORDERS, type SweepCase } from '../support/sweep-cases.js';

interface Checked {
  readonly ic1: boolean;
  readonly ic2: boolean;
}

/**
 * Runs one case, checks it against the recursive OM(m) and the exact counts, and returns IC1 and
 * IC2 as computed here from the decisions (not taken from the implementation's verdict).
 */
function runCase(c: SweepCase): Checked {
  const { n, t, order, traitors } = c;
  const roster = new Map<number, Strategy>([...traitors].map(([id, kind]) => [id, { kind }] as const));
  const result = simulate({ n, t, order, roster });
  const name = caseLabel(c);

  const expected = referenceDecisions(n, t, order, traitors);
  const loyal = range(1, n).filter((id) => !traitors.has(id));
  for (const id of range(1, n)) {
    assert.equal(
      result.generals[id]?.decision,
      expected.get(id),
      `${name}: general ${id} differs from OM(m)`,
    );
  }
  const loyalDecisions = new Set(loyal.map((id) => result.generals[id]?.decision));
  const ic1 = loyalDecisions.size <= 1;
  const ic2 = traitors.has(0) || [...loyalDecisions].every((d) => d === order);
  assert.equal(result.ic1, ic1, `${name}: reported IC1`);
  assert.equal(result.ic2, ic2, `${name}: reported IC2`);
  const consensus =
    ic1 && loyal.length > 0 ? (loyal.map((id) => result.generals[id]?.decision)[0] ?? null) : null;
  assert.equal(result.consensus, consensus, `${name}: consensus`);

  // Exact counts: a silent commander withholds its n-1 orders; a silent lieutenant withholds, in
  // round r, P(n-3, r-1) values to each of n-2 others, P(n-2, r) in all.
  const silentCommander = traitors.get(0) === 'silent';
  const silentLieutenants = [...traitors].filter(([id, kind]) => id !== 0 && kind === 'silent').length;
  let logical = 0;
  for (let k = 1; k <= t + 1; k++) logical += fallingFactorial(n - 1, k);
  let perSilentLieutenant = 0;
  for (let r = 1; r <= t; r++) perSilentLieutenant += fallingFactorial(n - 2, r);
  const withheld = (silentCommander ? n - 1 : 0) + silentLieutenants * perSilentLieutenant;
  assert.deepEqual(result.messages, { expected: logical, delivered: logical - withheld }, `${name}: values`);
  const rpcs = (silentCommander ? 0 : n - 1) + (n - 1 - silentLieutenants) * t * (n - 2);
  assert.equal(result.rpcs, rpcs, `${name}: RPCs`);

  // Synchrony: only a silent sender makes a round wait for its deadline, once per round it skips.
  const { trace } = runInMemory({ runId: 'sweep', n, t, order, roster });
  const deadlines = (silentCommander ? 1 : 0) + (silentLieutenants > 0 ? t : 0);
  assert.equal(trace.expiries, deadlines, `${name}: round deadlines`);
  return { ic1, ic2 };
}

describe('exhaustive sweeps over every traitor set and deterministic strategy', () => {
  test('the case counts are 2 x sum_k C(n,k) 3^k: 26, 32, 38, 44 for t=1 and 422 for n=7, t=2', () => {
    assert.deepEqual(
      [
        [4, 1],
        [5, 1],
        [6, 1],
        [7, 1],
        [7, 2],
        [3, 1],
        [6, 2],
      ].map(([n, t]) => caseCount(n ?? 0, t ?? 0)),
      [
        2 * (1 + 12),
        2 * (1 + 15),
        2 * (1 + 18),
        2 * (1 + 21),
        2 * (1 + 21 + 21 * 9),
        2 * (1 + 9),
        2 * (1 + 18 + 135),
      ],
    );
  });

  for (const [n, t] of [
    [4, 1],
    [5, 1],
    [6, 1],
    [7, 1],
    [7, 2],
  ] as const) {
    test(`n=${n}, t=${t} (n > 3t): IC1 and IC2 hold in every one of the ${caseCount(n, t)} cases, decisions match OM(${t}), counts are exact`, () => {
      const cases = everyCase(n, t);
      let run = 0;
      for (const c of cases) {
        const { ic1, ic2 } = runCase(c);
        assert.ok(ic1, `${caseLabel(c)}: IC1 fails`);
        assert.ok(ic2, `${caseLabel(c)}: IC2 fails`);
        run++;
      }
      assert.equal(run, caseCount(n, t));
    });
  }

  test('562 safe cases in all, the commander a traitor in some of them', () => {
    const all = [
      [4, 1],
      [5, 1],
      [6, 1],
      [7, 1],
      [7, 2],
    ].flatMap(([n, t]) => everyCase(n ?? 0, t ?? 0));
    assert.equal(all.length, 562);
    // Commander among the traitors: sum_k C(n-1, k-1) 3^k per order.
    const withTraitorCommander = all.filter((c) => c.traitors.has(0)).length;
    assert.equal(withTraitorCommander, 2 * (3 + 3 + 3 + 3 + (3 + 6 * 9)));
  });

  for (const [n, t] of [
    [3, 1],
    [6, 2],
  ] as const) {
    test(`n=${n}, t=${t} (n = 3t): the bound bites, some case violates IC1 or IC2, and the run still reports it honestly`, () => {
      let run = 0;
      let violations = 0;
      for (const c of everyCase(n, t)) {
        const { ic1, ic2 } = runCase(c);
        if (!ic1 || !ic2) violations++;
        run++;
      }
      assert.equal(run, caseCount(n, t));
      assert.ok(violations > 0, `no violation among ${run} cases of n=${n}, t=${t}`);
    });
  }

  test('n=7, t=2 with random:SEED traitors (any pair, commander included, 10 seeds): IC1 and IC2 hold', () => {
    let run = 0;
    for (const order of ORDERS) {
      for (const pair of subsetsOfSize(range(0, 7), 2)) {
        for (let seed = 1; seed <= 10; seed++) {
          const roster = new Map<number, Strategy>(
            pair.map((id, i) => [id, { kind: 'random', seed: seed * 100 + i }]),
          );
          const result = simulate({ n: 7, t: 2, order, roster });
          const loyal = result.generals.filter((g) => g.id !== 0 && !g.traitor).map((g) => g.decision);
          const name = `${order} random traitors ${pair} seed ${seed}`;
          assert.equal(new Set(loyal).size, 1, `${name}: IC1`);
          if (!pair.includes(0))
            assert.ok(
              loyal.every((d) => d === order),
              `${name}: IC2`,
            );
          assert.deepEqual([result.ic1, result.ic2], [true, true], name);
          run++;
        }
      }
    }
    assert.equal(run, 2 * 21 * 10);
  });
});
