import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { caseAt, caseCount, type Shape } from '../../src/check/cases.js';
import { runSweep } from '../../src/check/pool.js';
import {
  asPredicted,
  emptyTally,
  mergeTally,
  replayCommand,
  slicesOf,
  sweepSlice,
} from '../../src/check/sweep.js';
import { parseFlags } from '../../src/commands/flags.js';
import { RUN_FLAGS } from '../../src/commands/run-flags.js';
import { parseRunConfig } from '../../src/config/config.js';
import type { Order } from '../../src/core/order.js';
import { simulate } from '../../src/sim/simulate.js';
import { type DeterministicKind, referenceDecisions } from '../support/reference-om.js';

/** IC1 and IC2 of a case, from the recursive OM(m) oracle: independent of src/core and src/check. */
function oracle(shape: Shape, index: number): { ic1: boolean; ic2: boolean; size: number } {
  const c = caseAt(shape, index);
  const kinds = new Map<number, DeterministicKind>(
    [...c.traitors].map(([id, s]) => [id, s.kind as DeterministicKind] as const),
  );
  const decisions = referenceDecisions(c.n, c.t, c.order, kinds);
  const loyal = [...decisions].filter(([id]) => !kinds.has(id)).map(([, d]) => d);
  const ic1 = new Set(loyal).size <= 1;
  const ic2 = kinds.has(0) || loyal.every((d) => d === c.order);
  return { ic1, ic2, size: kinds.size };
}

function oracleCounts(shape: Shape) {
  let violations = 0;
  let ic1Violations = 0;
  let ic2Violations = 0;
  let withinT = 0;
  let first: number | undefined;
  for (let i = 0; i < caseCount(shape); i++) {
    const { ic1, ic2, size } = oracle(shape, i);
    if (ic1 && ic2) continue;
    violations++;
    if (!ic1) ic1Violations++;
    if (!ic2) ic2Violations++;
    if (size <= shape.t) withinT++;
    first ??= i;
  }
  return { violations, ic1Violations, ic2Violations, withinT, first };
}

const SAFE: Shape[] = [
  { n: 4, t: 1, maxTraitors: 1 },
  { n: 5, t: 1, maxTraitors: 1 },
  { n: 7, t: 2, maxTraitors: 2 },
  { n: 8, t: 2, maxTraitors: 2 },
];
const UNSAFE: Shape[] = [
  { n: 3, t: 1, maxTraitors: 1 },
  { n: 4, t: 2, maxTraitors: 2 },
  { n: 5, t: 2, maxTraitors: 2 },
  { n: 6, t: 2, maxTraitors: 2 },
];

describe('check sweep', () => {
  test('n > 3t with at most t traitors: every case, no violation', () => {
    SAFE.forEach((shape, i) => {
      const tally = sweepSlice(SAFE, i, 0, caseCount(shape));
      assert.equal(tally.cases, caseCount(shape));
      assert.equal(tally.violations, 0, `n=${shape.n} t=${shape.t}`);
      assert.equal(tally.first, undefined);
      assert.ok(asPredicted(shape, tally));
    });
  });

  test('n <= 3t: violations exist, and their counts match the recursive OM(m) oracle exactly', () => {
    UNSAFE.forEach((shape, i) => {
      const tally = sweepSlice(UNSAFE, i, 0, caseCount(shape));
      const expected = oracleCounts(shape);
      const name = `n=${shape.n} t=${shape.t}`;
      assert.ok(expected.withinT > 0, `${name}: the oracle finds a counterexample`);
      assert.equal(tally.violations, expected.violations, `${name}: violations`);
      assert.equal(tally.ic1Violations, expected.ic1Violations, `${name}: IC1`);
      assert.equal(tally.ic2Violations, expected.ic2Violations, `${name}: IC2`);
      assert.equal(tally.violationsWithinT, expected.withinT, `${name}: within t`);
      assert.equal(tally.first?.index, expected.first, `${name}: first counterexample`);
      assert.ok(asPredicted(shape, tally));
    });
  });

  test('beyond t traitors with n > 3t: violations exist but are not judged', () => {
    const shapes: Shape[] = [{ n: 4, t: 1, maxTraitors: 2 }];
    const tally = sweepSlice(shapes, 0, 0, caseCount(shapes[0] as Shape));
    assert.equal(tally.violationsWithinT, 0);
    assert.equal(tally.violations, oracleCounts(shapes[0] as Shape).violations);
    assert.ok(tally.violations > 0);
    assert.ok(asPredicted(shapes[0] as Shape, tally));
  });

  test('a counterexample replays with the printed simulate command', () => {
    UNSAFE.forEach((shape, i) => {
      const first = sweepSlice(UNSAFE, i, 0, caseCount(shape)).first;
      assert.ok(first !== undefined);
      const command = replayCommand(first);
      const [bin, sub, ...argv] = command.split(' ');
      assert.equal(`${bin} ${sub}`, 'byzantine simulate');
      const config = parseRunConfig(parseFlags(argv, RUN_FLAGS));
      const result = simulate({ n: config.n, t: config.t, order: config.order, roster: config.roster });
      assert.equal(result.ic1, first.ic1, command);
      assert.equal(result.ic2, first.ic2, command);
      assert.ok(!(result.ic1 && result.ic2), command);
      for (const [id, decision] of first.decisions) assert.equal(result.generals[id]?.decision, decision);
      // The loyal lieutenants listed are exactly the non-traitors 1..n-1.
      const traitorIds = new Set(first.traitors.map(([id]) => id));
      const loyal = [...Array(shape.n).keys()].filter((id) => id > 0 && !traitorIds.has(id));
      assert.deepEqual(
        first.decisions.map(([id]) => id),
        loyal,
      );
    });
  });

  test('the replay command adds --allow-unsafe only when n <= 3t, and names no traitor as none', () => {
    const base = { order: 'ATTACK' as Order, decisions: [], ic1: false, ic2: true, shape: 0, index: 0 };
    assert.equal(
      replayCommand({ ...base, n: 6, t: 2, traitors: [[1, 'flip'] as const, [2, 'silent'] as const] }),
      'byzantine simulate --generals 6 --t 2 --order ATTACK --traitors 1:flip,2:silent --allow-unsafe',
    );
    assert.equal(
      replayCommand({ ...base, n: 4, t: 1, traitors: [] }),
      'byzantine simulate --generals 4 --t 1 --order ATTACK --traitors none',
    );
  });

  test('slices cover every case once, and merging them gives the whole tally', () => {
    const shapes = [...SAFE, ...UNSAFE];
    const slices = slicesOf(shapes, 500);
    assert.ok(slices.length > shapes.length);
    const merged = shapes.map((_, i) => emptyTally(i));
    for (const s of slices) {
      const tally = merged[s.shape];
      assert.ok(tally !== undefined);
      mergeTally(tally, sweepSlice(shapes, s.shape, s.start, s.end));
    }
    shapes.forEach((shape, i) => {
      const whole = sweepSlice(shapes, i, 0, caseCount(shape));
      assert.deepEqual(merged[i], whole);
    });
  });

  test('worker threads find exactly what one thread finds', async () => {
    const shapes = [...SAFE, ...UNSAFE];
    const one = await runSweep(shapes, { workers: 1 });
    let progressed = 0;
    const two = await runSweep(shapes, {
      workers: 2,
      costPerSlice: 2000,
      onProgress: ({ done, total }) => {
        assert.ok(done <= total);
        progressed = done;
      },
    });
    assert.deepEqual(two, one);
    assert.equal(
      progressed,
      shapes.reduce((sum, s) => sum + caseCount(s), 0),
    );
  });
});
