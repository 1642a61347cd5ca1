import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { caseAt, caseCount, binomial as coreBinomial, subsetAt } from '../../src/check/cases.js';
import { formatStrategy } from '../../src/core/strategy.js';
import { binomial, range, subsetsOfSize } from '../support/combinatorics.js';

const key = (c: ReturnType<typeof caseAt>) =>
  `${c.order}|${[...c.traitors].map(([id, s]) => `${id}:${formatStrategy(s)}`).join(',')}`;

describe('check cases', () => {
  test('case count is 2 orders x sum over k <= max of C(n,k) x 3^k', () => {
    for (const n of range(3, 11)) {
      for (const max of range(0, 4)) {
        let expected = 0;
        for (let k = 0; k <= max; k++) expected += 2 * binomial(n, k) * 3 ** k;
        assert.equal(caseCount({ n, t: 1, maxTraitors: max }), expected, `n=${n} max=${max}`);
      }
    }
    // Hand-checked: n=4, up to 1 traitor: 2 x (1 + 4 x 3) = 26; n=10, up to 3: 2 x 3676 = 7352.
    assert.equal(caseCount({ n: 4, t: 1, maxTraitors: 1 }), 26);
    assert.equal(caseCount({ n: 10, t: 3, maxTraitors: 3 }), 7352);
  });

  test('binomial matches the independent one', () => {
    for (const k of range(0, 31))
      for (const r of range(0, 8)) assert.equal(coreBinomial(k, r), binomial(k, r));
  });

  test('subsetAt lists the k-subsets in lexicographic order', () => {
    for (const n of range(1, 9)) {
      for (const k of range(0, 5)) {
        const expected = subsetsOfSize(range(0, n), k);
        const got = expected.map((_, rank) => subsetAt(n, k, rank));
        assert.deepEqual(got, expected, `n=${n} k=${k}`);
      }
    }
  });

  test('every case appears exactly once: each traitor set, strategy assignment and order', () => {
    const shape = { n: 6, t: 1, maxTraitors: 2 };
    const total = caseCount(shape);
    const seen = new Set<string>();
    let withCommander = 0;
    const orders = new Set<string>();
    for (let i = 0; i < total; i++) {
      const c = caseAt(shape, i);
      assert.ok(c.traitors.size <= 2);
      assert.equal(c.n, 6);
      for (const [id, s] of c.traitors) {
        assert.ok(id >= 0 && id < 6);
        assert.ok(['equivocate', 'flip', 'silent'].includes(s.kind));
      }
      if (c.traitors.has(0)) withCommander++;
      orders.add(c.order);
      seen.add(key(c));
    }
    assert.equal(seen.size, total);
    assert.deepEqual([...orders].sort(), ['ATTACK', 'RETREAT']);
    // Commander among the traitors: 1 set of size 1 and 5 sets of size 2 contain it.
    assert.equal(withCommander, 2 * (1 * 3 + 5 * 9));
    assert.throws(() => caseAt(shape, total), RangeError);
  });

  test('smaller traitor sets come first', () => {
    const shape = { n: 5, t: 2, maxTraitors: 2 };
    let last = 0;
    for (let i = 0; i < caseCount(shape); i++) {
      const size = caseAt(shape, i).traitors.size;
      assert.ok(size >= last);
      last = size;
    }
  });
});
