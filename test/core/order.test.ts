import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_ORDER, isOrder, majority, opposite, tallyOf } from '../../src/core/order.js';

describe('orders', () => {
  test('RETREAT is the default for anything missing or malformed', () => {
    assert.equal(DEFAULT_ORDER, 'RETREAT');
  });

  test('opposite swaps ATTACK and RETREAT', () => {
    assert.equal(opposite('ATTACK'), 'RETREAT');
    assert.equal(opposite('RETREAT'), 'ATTACK');
  });

  test('only the two order names are orders', () => {
    assert.equal(isOrder('ATTACK'), true);
    assert.equal(isOrder('RETREAT'), true);
    for (const bad of ['attack', 'Retreat', '', 'HOLD', 1, null, undefined])
      assert.equal(isOrder(bad), false);
  });

  test('majority is strict and a tie falls back to RETREAT', () => {
    assert.equal(majority({ attack: 2, retreat: 1 }), 'ATTACK');
    assert.equal(majority({ attack: 1, retreat: 2 }), 'RETREAT');
    assert.equal(majority({ attack: 2, retreat: 2 }), 'RETREAT');
    assert.equal(majority({ attack: 0, retreat: 0 }), 'RETREAT');
  });

  test('tallyOf counts each order', () => {
    assert.deepEqual(tallyOf(['ATTACK', 'RETREAT', 'ATTACK', 'ATTACK']), { attack: 3, retreat: 1 });
    assert.deepEqual(tallyOf([]), { attack: 0, retreat: 0 });
  });
});
