import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Order } from '../../src/core/order.js';
import { judge } from '../../src/core/verdict.js';

const decisions = (...entries: Array<[number, Order]>): Map<number, Order> => new Map(entries);

describe('the verdict (IC1, IC2, consensus of the loyal lieutenants)', () => {
  test('a loyal commander whose loyal lieutenants all follow it: IC1, IC2, consensus on its order', () => {
    const v = judge({
      order: 'ATTACK',
      faulty: new Set(),
      decisions: decisions([1, 'ATTACK'], [2, 'ATTACK'], [3, 'ATTACK']),
    });
    assert.deepEqual([v.ic1, v.ic2, v.consensus], [true, true, 'ATTACK']);
    assert.deepEqual(v.ic2Violators, []);
    assert.deepEqual(v.byDecision, { ATTACK: [1, 2, 3], RETREAT: [] });
  });

  test('split loyal decisions fail IC1 and leave no consensus', () => {
    const v = judge({
      order: 'ATTACK',
      faulty: new Set([0]),
      decisions: decisions([3, 'RETREAT'], [1, 'ATTACK'], [2, 'RETREAT']),
    });
    assert.equal(v.ic1, false);
    assert.equal(v.consensus, null);
    assert.deepEqual(v.byDecision, { ATTACK: [1], RETREAT: [2, 3] });
    assert.equal(v.ic2, true, 'IC2 is vacuous under a traitor commander');
  });

  test('a loyal commander whose lieutenants agree on the other order: IC1 holds, IC2 fails, naming every violator', () => {
    const v = judge({
      order: 'ATTACK',
      faulty: new Set([2]),
      decisions: decisions([1, 'RETREAT'], [2, 'ATTACK'], [3, 'RETREAT']),
    });
    assert.deepEqual([v.ic1, v.ic2, v.consensus], [true, false, 'RETREAT']);
    assert.deepEqual(v.ic2Violators, [1, 3]);
  });

  test('a split under a loyal commander fails both, and only the dissenters violate IC2', () => {
    const v = judge({
      order: 'RETREAT',
      faulty: new Set(),
      decisions: decisions([1, 'RETREAT'], [2, 'ATTACK'], [3, 'RETREAT'], [4, 'ATTACK']),
    });
    assert.deepEqual([v.ic1, v.ic2, v.consensus], [false, false, null]);
    assert.deepEqual(v.ic2Violators, [2, 4]);
  });

  test('a traitor commander: agreement on either order satisfies IC1 and IC2, consensus is that order', () => {
    const v = judge({
      order: 'ATTACK',
      faulty: new Set([0]),
      decisions: decisions([1, 'RETREAT'], [2, 'RETREAT'], [3, 'RETREAT']),
    });
    assert.deepEqual([v.ic1, v.ic2, v.consensus], [true, true, 'RETREAT']);
    assert.deepEqual(v.ic2Violators, []);
  });

  test("faulty generals' decisions are ignored, and so is the commander's own", () => {
    const v = judge({
      order: 'ATTACK',
      faulty: new Set([2, 4]),
      decisions: decisions([0, 'RETREAT'], [1, 'ATTACK'], [2, 'RETREAT'], [3, 'ATTACK'], [4, 'RETREAT']),
    });
    assert.deepEqual([v.ic1, v.ic2, v.consensus], [true, true, 'ATTACK']);
    assert.deepEqual(v.byDecision, { ATTACK: [1, 3], RETREAT: [] });
  });

  test('no loyal lieutenant left to decide: nothing is violated, and there is no consensus', () => {
    const v = judge({
      order: 'ATTACK',
      faulty: new Set([1, 2]),
      decisions: decisions([1, 'ATTACK'], [2, 'RETREAT']),
    });
    assert.deepEqual([v.ic1, v.ic2, v.consensus], [true, true, null]);
    const none = judge({ order: 'RETREAT', faulty: new Set(), decisions: new Map() });
    assert.equal(none.consensus, null);
  });
});
