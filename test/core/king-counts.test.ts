import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kingMessages, kingMessagesTo, messagesInRound } from '../../src/core/king/counts.js';
import { kingLastRound, kingOf, phaseOf, roundKind } from '../../src/core/king/phases.js';
import { logicalMessages } from '../../src/core/om/counts.js';
import { runInMemory } from '../../src/sim/network.js';
import { simulate } from '../../src/sim/simulate.js';

/** Every expected number below is derived by hand in its comment, never by the code under test. */
describe('King: exact counts', () => {
  test('messages of a whole run: (n-1) + (t+1)(n(n-1) + n(n-1) + (n-1))', () => {
    // n=4, t=1: 3 + 2 x (12 + 12 + 3) = 57. n=10, t=3: 9 + 4 x (90 + 90 + 9) = 765.
    // n=31, t=10: 30 + 11 x (930 + 930 + 30) = 20,820. n=100, t=33: 99 + 34 x (9,900 + 9,900 + 99) = 676,665.
    assert.deepEqual(
      [kingMessages(4, 1), kingMessages(10, 3), kingMessages(31, 10), kingMessages(100, 33)],
      [57, 765, 20_820, 676_665],
    );
    // Where OM can run at all, the same n and t: 3,609 values for n=10, t=3 (README), against 765.
    assert.equal(logicalMessages(10, 3), 3609);
  });

  test('per round: n-1 orders, n(n-1) value and propose messages, n-1 from the king', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((r) => messagesInRound(10, r)),
      [9, 90, 90, 9, 90, 90, 9],
    );
  });

  test('per general: the order (lieutenants), 2(n-1) a phase, the king in the phases it is not king of', () => {
    // n=10, t=3, kings 0..3. The commander: 4 x 18 + 3 = 75. Lieutenant 1 (a king): 1 + 72 + 3 = 76.
    // Lieutenant 5 (never a king): 1 + 72 + 4 = 77. In all: 75 + 3 x 76 + 6 x 77 = 765.
    assert.deepEqual(
      [0, 1, 5].map((id) => kingMessagesTo(10, 3, id)),
      [75, 76, 77],
    );
    let total = 0;
    for (let id = 0; id < 10; id++) total += kingMessagesTo(10, 3, id);
    assert.equal(total, 765);
  });

  test('rounds and phases: 3(t+1)+1 rounds, the king of phase p is general p-1', () => {
    assert.equal(kingLastRound(3), 12);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 12].map((r) => [phaseOf(r), roundKind(r)]),
      [
        [0, 'order'],
        [1, 'value'],
        [1, 'propose'],
        [1, 'king'],
        [2, 'value'],
        [4, 'king'],
      ],
    );
    assert.deepEqual([1, 2, 4].map(kingOf), [0, 1, 3]);
  });

  test('an all-loyal run of n=10, t=3 delivers all 765 messages in 765 RPCs and never waits on a deadline', () => {
    const result = simulate({ n: 10, t: 3, order: 'ATTACK', roster: new Map(), algorithm: 'king' });
    assert.deepEqual(result.messages, { expected: 765, delivered: 765 });
    assert.equal(result.rpcs, 765);
    assert.deepEqual(
      result.generals.map((g) => g.valuesMissing),
      new Array(10).fill(0),
    );
    const { trace } = runInMemory(
      { runId: 'r', n: 10, t: 3, order: 'ATTACK', roster: new Map(), algorithm: 'king' },
      true,
    );
    assert.equal(trace.expiries, 0);
    assert.equal(trace.deliveries.length, 765);
    assert.equal(
      trace.deliveries.filter((d) => d.batch.values.length === 0).length,
      0,
      'all loyal: no propose(none)',
    );
  });

  test('n=100, t=33 with 33 traitors of mixed strategies agrees in memory, every message counted', () => {
    const roster = new Map(
      Array.from({ length: 33 }, (_, i) => {
        const kinds = ['equivocate', 'flip', 'silent'] as const;
        return [i * 3, { kind: kinds[i % 3] ?? 'flip' }] as const;
      }),
    );
    const result = simulate({ n: 100, t: 33, order: 'RETREAT', roster, algorithm: 'king' });
    assert.deepEqual([result.ic1, result.ic2, result.consensus], [true, true, 'RETREAT']);
    // 11 silent generals (ids 6, 15, ..., 96; none below 34 is a king except 6, 15, 24, 33), each
    // withholding (t+1) x 2(n-1) = 6,732 messages, and the 4 silent kings 99 more each.
    const silent = [...roster].filter(([, s]) => s.kind === 'silent').map(([id]) => id);
    assert.equal(silent.length, 11);
    assert.deepEqual(
      silent.filter((id) => id <= 33),
      [6, 15, 24, 33],
    );
    assert.equal(result.messages.expected, 676_665);
    assert.equal(result.messages.delivered, 676_665 - 11 * 6_732 - 4 * 99);
  });
});
