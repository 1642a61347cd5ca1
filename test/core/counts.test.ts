import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { batchSize, logicalMessages, rpcsExpected, valuesPerLieutenant } from '../../src/core/om/counts.js';
import { batchesExpected } from '../../src/core/run/rounds.js';
import { runInMemory } from '../../src/sim/network.js';
import { simulate } from '../../src/sim/simulate.js';
import { fallingFactorial } from '../support/combinatorics.js';
import { must, roster } from '../support/fixtures.js';

describe('exact message counts', () => {
  test('n=10, t=3 (the ancestor example): 9 + 72 + 504 + 3024 = 3609 logical messages', () => {
    assert.equal(logicalMessages(10, 3), 3609);
  });

  test('n=10, t=3: each lieutenant receives 1 + 8 + 56 + 336 = 401 values', () => {
    assert.equal(valuesPerLieutenant(10, 3), 401);
  });

  test('hand-computed small shapes', () => {
    // n=4, t=1: 3 from the commander, then 3 lieutenants x 2 others x 1 path.
    assert.equal(logicalMessages(4, 1), 3 + 6);
    assert.equal(valuesPerLieutenant(4, 1), 1 + 2);
    // n=7, t=2: 6 + 6*5 + 6*5*4.
    assert.equal(logicalMessages(7, 2), 6 + 30 + 120);
    assert.equal(valuesPerLieutenant(7, 2), 1 + 5 + 20);
    // OM(0): the commander's order only.
    assert.equal(logicalMessages(4, 0), 3);
    assert.equal(valuesPerLieutenant(4, 0), 1);
    // n=31, t=3: 30 + 870 + 24360 + 657720.
    assert.equal(logicalMessages(31, 3), 682_980);
    assert.equal(valuesPerLieutenant(31, 3), 1 + 29 + 812 + 21_924);
  });

  test('batch size and batches expected per round, n=10: 1x1, then 8 batches of 1, 7 and 42 values', () => {
    const perRound = [0, 1, 2, 3].map((r) => [batchesExpected(10, r), batchSize(10, r)]);
    assert.deepEqual(perRound, [
      [1, 1],
      [8, 1],
      [8, 7],
      [8, 42],
    ]);
  });

  test('batch size and batches expected per round, n=4 and n=7', () => {
    assert.deepEqual(
      [0, 1].map((r) => [batchesExpected(4, r), batchSize(4, r)]),
      [
        [1, 1],
        [2, 1],
      ],
    );
    assert.deepEqual(
      [0, 1, 2].map((r) => [batchesExpected(7, r), batchSize(7, r)]),
      [
        [1, 1],
        [5, 1],
        [5, 4],
      ],
    );
  });

  test('for n=4..12 and t=0..4 the counts are the falling-factorial sums, and rounds add up to them', () => {
    for (let n = 4; n <= 12; n++) {
      for (let t = 0; t <= 4; t++) {
        let logical = 0;
        for (let k = 1; k <= t + 1; k++) logical += fallingFactorial(n - 1, k);
        let perLieutenant = 0;
        for (let k = 0; k <= t; k++) perLieutenant += fallingFactorial(n - 2, k);
        assert.equal(logicalMessages(n, t), logical, `logical n=${n} t=${t}`);
        assert.equal(valuesPerLieutenant(n, t), perLieutenant, `per lieutenant n=${n} t=${t}`);
        // Every logical message lands at exactly one of the n-1 lieutenants.
        assert.equal(logical, (n - 1) * perLieutenant);
        let byRounds = 0;
        for (let r = 0; r <= t; r++) byRounds += batchesExpected(n, r) * batchSize(n, r);
        assert.equal(byRounds, perLieutenant, `rounds n=${n} t=${t}`);
        assert.equal(rpcsExpected(n, t), n - 1 + t * (n - 1) * (n - 2), `rpcs n=${n} t=${t}`);
      }
    }
  });

  test('batches with no silent general: (n-1) + t(n-1)(n-2), e.g. 225 for n=10, t=3', () => {
    assert.equal(rpcsExpected(10, 3), 9 + 3 * 9 * 8);
    assert.equal(rpcsExpected(10, 3), 225);
    assert.equal(rpcsExpected(4, 1), 9);
    assert.equal(rpcsExpected(7, 2), 66);
  });
});

describe('counts of a simulated run', () => {
  test('n=10, t=3, traitors 3,4,7 equivocating: 3609 values delivered, 401 to each lieutenant, none missing, 225 RPCs', () => {
    const result = simulate({
      n: 10,
      t: 3,
      order: 'ATTACK',
      roster: roster([3, 'equivocate'], [4, 'equivocate'], [7, 'equivocate']),
    });
    assert.deepEqual(result.messages, { expected: 3609, delivered: 3609 });
    assert.equal(result.rpcs, 225);
    for (const g of result.generals) {
      if (g.id === 0) {
        assert.equal(g.valuesReceived, 0, 'the commander receives nothing');
        continue;
      }
      assert.equal(g.valuesReceived, 401, `general ${g.id} received`);
      assert.equal(g.valuesMissing, 0, `general ${g.id} missing`);
    }
  });

  test('on the wire, n=10, t=3: 9 batches of 1 value in round 0, then 72 batches per round of 1, 7 and 42 values; no deadline fires', () => {
    const { trace } = runInMemory(
      { runId: 'counts', n: 10, t: 3, order: 'ATTACK', roster: roster([3, 'equivocate'], [4, 'flip']) },
      true,
    );
    assert.equal(trace.expiries, 0);
    const expectedLength = [1, 1, 7, 42];
    const expectedBatches = [9, 72, 72, 72];
    for (let round = 0; round <= 3; round++) {
      const batches = trace.deliveries.filter((d) => d.batch.round === round);
      assert.equal(batches.length, must(expectedBatches[round], 'a count'), `round ${round} batches`);
      for (const d of batches) {
        assert.equal(d.accepted, true);
        assert.equal(d.batch.values.length, expectedLength[round], `round ${round} batch length`);
      }
    }
  });

  test('a silent lieutenant withholds P(8,1)+P(8,2)+P(8,3) = 8+56+336 = 400 of the 3609 values, 50 from each other lieutenant', () => {
    // Lieutenant 3 would send, in round r, to each of the 8 other lieutenants, P(7, r-1) values:
    // 8*1 + 8*7 + 8*42 = 400. Each receiver misses P(7,0)+P(7,1)+P(7,2) = 1+7+42 = 50.
    const result = simulate({ n: 10, t: 3, order: 'ATTACK', roster: roster([3, 'silent']) });
    assert.deepEqual(result.messages, { expected: 3609, delivered: 3609 - 400 });
    // Its 3 rounds x 8 receivers of RPCs are withheld too.
    assert.equal(result.rpcs, 225 - 3 * 8);
    for (const g of result.generals) {
      if (g.id === 0) continue;
      if (g.id === 3) {
        assert.deepEqual([g.valuesReceived, g.valuesMissing], [401, 0], 'the silent general still hears all');
      } else {
        assert.deepEqual([g.valuesReceived, g.valuesMissing], [351, 50], `general ${g.id}`);
      }
    }
  });

  test('a silent lieutenant costs exactly one round deadline per relay round; no silent general costs none', () => {
    const silent = runInMemory({ runId: 's', n: 7, t: 2, order: 'ATTACK', roster: roster([5, 'silent']) });
    assert.equal(silent.trace.expiries, 2);
    const loud = runInMemory({
      runId: 'l',
      n: 7,
      t: 2,
      order: 'ATTACK',
      roster: roster([5, 'flip'], [0, 'equivocate']),
    });
    assert.equal(loud.trace.expiries, 0);
  });

  test('a silent commander withholds its n-1 round-0 values and RPCs; lieutenants relay RETREAT and decide it', () => {
    const result = simulate({ n: 7, t: 2, order: 'ATTACK', roster: roster([0, 'silent']) });
    assert.deepEqual(result.messages, { expected: 156, delivered: 156 - 6 });
    assert.equal(result.rpcs, 66 - 6);
    for (const g of result.generals) {
      if (g.id === 0) continue;
      assert.equal(g.valuesMissing, 1, `general ${g.id} misses (0)`);
      assert.equal(g.decision, 'RETREAT');
      assert.deepEqual(g.tally, { attack: 0, retreat: 26 });
    }
    assert.equal(result.consensus, 'RETREAT');
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
  });
});
