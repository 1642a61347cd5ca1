import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Order } from '../../src/core/order.js';
import { runInMemory } from '../../src/sim/network.js';
import { simulate } from '../../src/sim/simulate.js';
import { roster } from '../support/fixtures.js';

type Summary = Record<
  number,
  { decision: Order | null; attack: number | undefined; retreat: number | undefined }
>;

const lieutenants = (result: ReturnType<typeof simulate>): Summary => {
  const out: Summary = {};
  for (const g of result.generals) {
    if (g.id !== 0) out[g.id] = { decision: g.decision, attack: g.tally?.attack, retreat: g.tally?.retreat };
  }
  return out;
};

describe('small cases checked by hand', () => {
  test('n=4, t=1, loyal commander ATTACK, lieutenant 3 flips: 1 and 2 hold A,A,R and decide ATTACK', () => {
    const result = simulate({ n: 4, t: 1, order: 'ATTACK', roster: roster([3, 'flip']) });
    // 1 holds (0)=A from 0, (0,2)=A from 2, (0,3)=R from 3: majority ATTACK. Same for 2.
    // 3 holds (0)=A, (0,1)=A, (0,2)=A.
    assert.deepEqual(lieutenants(result), {
      1: { decision: 'ATTACK', attack: 2, retreat: 1 },
      2: { decision: 'ATTACK', attack: 2, retreat: 1 },
      3: { decision: 'ATTACK', attack: 3, retreat: 0 },
    });
    assert.deepEqual([result.ic1, result.ic2, result.consensus], [true, true, 'ATTACK']);
    const { trace } = runInMemory(
      { runId: 'r', n: 4, t: 1, order: 'ATTACK', roster: roster([3, 'flip']) },
      true,
    );
    const fromThree = trace.deliveries
      .filter((d) => d.batch.sender === 3)
      .map((d) => [d.batch.receiver, d.batch.values]);
    assert.deepEqual(fromThree, [
      [1, ['RETREAT']],
      [2, ['RETREAT']],
    ]);
  });

  test('n=4, t=1, a commander equivocating ATTACK (A to 1 and 3, R to 2): all three lieutenants agree on ATTACK', () => {
    // 1: (0)=A (0,2)=R (0,3)=A -> A.  2: (0)=R (0,1)=A (0,3)=A -> A.  3: (0)=A (0,1)=A (0,2)=R -> A.
    const result = simulate({ n: 4, t: 1, order: 'ATTACK', roster: roster([0, 'equivocate']) });
    assert.deepEqual(lieutenants(result), {
      1: { decision: 'ATTACK', attack: 2, retreat: 1 },
      2: { decision: 'ATTACK', attack: 2, retreat: 1 },
      3: { decision: 'ATTACK', attack: 2, retreat: 1 },
    });
    assert.deepEqual([result.ic1, result.ic2, result.consensus], [true, true, 'ATTACK']);
  });

  test('n=4, t=1, a commander equivocating RETREAT (R to 1 and 3, A to 2): all three agree on RETREAT', () => {
    const result = simulate({ n: 4, t: 1, order: 'RETREAT', roster: roster([0, 'equivocate']) });
    assert.deepEqual(lieutenants(result), {
      1: { decision: 'RETREAT', attack: 1, retreat: 2 },
      2: { decision: 'RETREAT', attack: 1, retreat: 2 },
      3: { decision: 'RETREAT', attack: 1, retreat: 2 },
    });
    assert.equal(result.ic1, true);
    assert.equal(result.consensus, 'RETREAT');
  });

  test("OM(0) (t=0): each lieutenant decides the commander's value directly, one message each", () => {
    const loyal = simulate({ n: 4, t: 0, order: 'ATTACK', roster: new Map() });
    assert.deepEqual(
      loyal.generals.map((g) => g.decision),
      ['ATTACK', 'ATTACK', 'ATTACK', 'ATTACK'],
    );
    assert.deepEqual(loyal.messages, { expected: 3, delivered: 3 });
    assert.equal(loyal.rpcs, 3);
    const lying = simulate({ n: 4, t: 0, order: 'ATTACK', roster: roster([0, 'equivocate']) });
    assert.deepEqual(
      lying.generals.filter((g) => g.id !== 0).map((g) => g.decision),
      ['ATTACK', 'RETREAT', 'ATTACK'],
    );
    assert.equal(lying.ic1, false, 'with more traitors than t, the split is reported, not hidden');
    assert.equal(lying.tooManyTraitors, true);
    const relayFree = simulate({ n: 4, t: 0, order: 'RETREAT', roster: roster([2, 'flip']) });
    assert.deepEqual(
      relayFree.generals.filter((g) => g.id !== 2).map((g) => g.decision),
      ['RETREAT', 'RETREAT', 'RETREAT'],
    );
  });

  test('n=3, t=1 (n = 3t): a flipping lieutenant makes the loyal one retreat against a loyal ATTACK, IC2 fails', () => {
    // 1 holds (0)=A from the commander and (0,2)=R from the traitor: a tie, so RETREAT.
    const result = simulate({ n: 3, t: 1, order: 'ATTACK', roster: roster([2, 'flip']) });
    assert.equal(result.unsafe, true);
    assert.equal(result.generals[1]?.decision, 'RETREAT');
    assert.deepEqual([result.ic1, result.ic2, result.ic2Violators], [true, false, [1]]);
  });

  test('the ancestor example, n=10, traitors 3,4,7 equivocating, ATTACK, t=3: every loyal lieutenant attacks', () => {
    const result = simulate({
      n: 10,
      t: 3,
      order: 'ATTACK',
      roster: roster([3, 'equivocate'], [4, 'equivocate'], [7, 'equivocate']),
    });
    for (const g of result.generals) {
      if (g.id !== 0 && !g.traitor) assert.equal(g.decision, 'ATTACK', `general ${g.id}`);
    }
    assert.deepEqual(
      [result.ic1, result.ic2, result.consensus, result.unsafe],
      [true, true, 'ATTACK', false],
    );
    assert.deepEqual(
      result.generals.filter((g) => g.traitor).map((g) => [g.id, g.strategy]),
      [
        [3, 'equivocate'],
        [4, 'equivocate'],
        [7, 'equivocate'],
      ],
    );
  });
});
