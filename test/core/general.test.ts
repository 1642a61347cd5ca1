import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OmRun } from '../../src/core/om/om-run.js';
import type { Order } from '../../src/core/order.js';
import type { Rejection } from '../../src/core/run/types.js';
import { runInMemory } from '../../src/sim/network.js';
import { assignments, range, subsetsOfSize } from '../support/combinatorics.js';
import { accepted, batch, refused, roster, sentByReceiver } from '../support/fixtures.js';
import { type DeterministicKind, referenceDecisions } from '../support/reference-om.js';
import { runShuffled } from '../support/shuffled-network.js';

const lieutenant = (n: number, t: number, id = 1): OmRun =>
  new OmRun({ runId: 'test-run', id, n, t, strategy: { kind: 'loyal' } });

describe('the commander', () => {
  test('issues its order to every lieutenant in round 0 and is done', () => {
    const commander = new OmRun({
      runId: 'r',
      id: 0,
      n: 5,
      t: 2,
      strategy: { kind: 'loyal' },
      order: 'ATTACK',
    });
    const step = commander.start();
    assert.deepEqual(
      step.outbox.map((b) => [b.round, b.sender, b.receiver, b.values]),
      [1, 2, 3, 4].map((j) => [0, 0, j, ['ATTACK']]),
    );
    assert.equal(commander.decision, 'ATTACK');
    assert.equal(commander.round, 3);
  });

  test('cannot be built without an order', () => {
    assert.throws(
      () => new OmRun({ runId: 'r', id: 0, n: 4, t: 1, strategy: { kind: 'loyal' } }),
      RangeError,
    );
  });

  test('refuses any batch: nobody sends to the commander', () => {
    const commander = new OmRun({
      runId: 'r',
      id: 0,
      n: 4,
      t: 1,
      strategy: { kind: 'loyal' },
      order: 'ATTACK',
    });
    commander.start();
    assert.equal(refused(commander.receive(batch(1, 2, 0, ['ATTACK']))).code, 'not-a-peer');
  });
});

describe('a lieutenant, round by round (n=5, t=2)', () => {
  test('waits for round 0, relays, and decides only after the last batch of round t', () => {
    const g = lieutenant(5, 2);
    assert.deepEqual(g.start().outbox, [], 'a lieutenant has nothing to say before round 0');
    assert.equal(g.round, 0);

    const afterOrder = accepted(g.receive(batch(0, 0, 1, ['ATTACK'])));
    assert.deepEqual(
      afterOrder.completed.map((c) => c.round),
      [0],
    );
    assert.deepEqual(sentByReceiver(afterOrder, 1), new Map([2, 3, 4].map((j) => [j, ['ATTACK']])));
    assert.equal(g.round, 1);

    // Round 1: 2 says the commander said RETREAT, 3 says RETREAT, 4 says ATTACK.
    accepted(g.receive(batch(1, 2, 1, ['RETREAT'])));
    accepted(g.receive(batch(1, 3, 1, ['RETREAT'])));
    assert.equal(g.round, 1, 'round 1 needs all three other lieutenants');
    const afterRound1 = accepted(g.receive(batch(1, 4, 1, ['ATTACK'])));
    assert.deepEqual(
      afterRound1.completed.map((c) => [
        c.round,
        c.batchesReceived,
        c.batchesExpected,
        c.timedOut,
        c.missing,
      ]),
      [[1, 3, 3, false, []]],
    );
    // To j: the values held for paths (0,k), k not 1 and not j, in id order.
    assert.deepEqual(
      sentByReceiver(afterRound1, 2),
      new Map([
        [2, ['RETREAT', 'ATTACK']],
        [3, ['RETREAT', 'ATTACK']],
        [4, ['RETREAT', 'RETREAT']],
      ]),
    );
    assert.equal(g.round, 2);

    // Round 2 from j carries (0,k) for k not 1, not j; stored as (0,k,j).
    // 3 and 4 both heard ATTACK from 2; 2 and 4 both heard RETREAT from 3; 2 and 3 heard ATTACK from 4.
    const fromTwo = accepted(g.receive(batch(2, 2, 1, ['RETREAT', 'ATTACK'])));
    assert.deepEqual(
      [...(fromTwo.stored ?? [])].map((i) => g.pathAt(i)),
      [
        [0, 3, 2],
        [0, 4, 2],
      ],
    );
    accepted(g.receive(batch(2, 3, 1, ['ATTACK', 'ATTACK'])));
    assert.equal(g.decision, undefined, 'no decision before round t is complete');
    const last = accepted(g.receive(batch(2, 4, 1, ['ATTACK', 'RETREAT'])));
    assert.deepEqual(
      last.completed.map((c) => c.round),
      [2],
    );
    assert.deepEqual(last.outbox, [], 'nothing is relayed after round t');
    // resolve(0,2) = maj(R, A, A) = A; resolve(0,3) = maj(R, R, R) = R; resolve(0,4) = maj(A, A, A) = A;
    // resolve(0) = maj(A, A, R, A) = ATTACK. Round 1 alone (A, R, R, A) would tie to RETREAT.
    assert.equal(g.decision, 'ATTACK');
    assert.equal(g.round, 3);
    assert.equal(g.receivedValues, 1 + 3 + 6);
    assert.equal(g.expectedValues, 10);
  });
});

describe('batches in any order', () => {
  test('early batches are buffered: round 1 before round 0 still decides once round 0 arrives', () => {
    const g = lieutenant(4, 1);
    const early2 = accepted(g.receive(batch(1, 2, 1, ['RETREAT'])));
    const early3 = accepted(g.receive(batch(1, 3, 1, ['RETREAT'])));
    for (const step of [early2, early3]) {
      assert.deepEqual(step.completed, []);
      assert.deepEqual(step.outbox, []);
    }
    assert.equal(g.decision, undefined);
    assert.equal(g.round, 0);
    const step = accepted(g.receive(batch(0, 0, 1, ['ATTACK'])));
    assert.deepEqual(
      step.completed.map((c) => c.round),
      [0, 1],
    );
    assert.deepEqual(
      sentByReceiver(step, 1),
      new Map([
        [2, ['ATTACK']],
        [3, ['ATTACK']],
      ]),
    );
    // own ATTACK, 2 and 3 both say RETREAT: the buffered values count.
    assert.equal(g.decision, 'RETREAT');
  });

  test('shuffled deliveries (any batch may overtake any other) decide exactly as FIFO and as OM(m), n=7 t=2 and n=10 t=3', () => {
    const kinds: readonly DeterministicKind[] = ['equivocate', 'flip', 'silent'];
    let runs = 0;
    let early = 0;
    const cases: Array<[number, number, Order, Map<number, DeterministicKind>]> = [];
    for (const order of ['ATTACK', 'RETREAT'] as const) {
      for (let k = 0; k <= 2; k++) {
        for (const traitors of subsetsOfSize(range(0, 7), k)) {
          for (const strategies of assignments(kinds, k)) {
            cases.push([
              7,
              2,
              order,
              new Map(traitors.map((id, i) => [id, strategies[i] ?? 'loyal'] as const)),
            ]);
          }
        }
      }
    }
    cases.push([
      10,
      3,
      'ATTACK',
      new Map([
        [3, 'equivocate'],
        [4, 'equivocate'],
        [7, 'equivocate'],
      ] as const),
    ]);
    cases.push([
      10,
      3,
      'ATTACK',
      new Map([
        [0, 'equivocate'],
        [4, 'silent'],
        [7, 'flip'],
      ] as const),
    ]);
    for (const [n, t, order, kindsById] of cases) {
      const traitors = roster(...kindsById);
      const fifo = runInMemory({ runId: 'fifo', n, t, order, roster: traitors }).reports;
      const expected = referenceDecisions(n, t, order, kindsById);
      for (const seed of [1, 2, 3]) {
        const shuffled = runShuffled(n, t, order, traitors, seed * 7919 + runs);
        runs++;
        early += shuffled.early;
        assert.equal(shuffled.rejected, 0);
        for (const id of range(1, n)) {
          const label = `n=${n} t=${t} ${order} traitors ${[...kindsById]} seed ${seed}: general ${id}`;
          assert.equal(shuffled.decisions.get(id), fifo.get(id)?.decision, label);
          assert.equal(shuffled.decisions.get(id), expected.get(id), label);
        }
      }
    }
    assert.equal(runs, 3 * (422 + 2));
    assert.ok(early > 1000, `the shuffle delivered batches ahead of their round (${early} of them)`);
  });
});

describe('refused batches', () => {
  const expectRefusal = (result: ReturnType<OmRun['receive']>, code: Rejection['code']): void => {
    const rejection = refused(result);
    assert.equal(rejection.code, code, rejection.message);
    assert.ok(rejection.message.length > 0);
  };

  test('a batch addressed to another general is refused as wrong-receiver', () => {
    const g = lieutenant(4, 1);
    expectRefusal(g.receive(batch(0, 0, 2, ['ATTACK'])), 'wrong-receiver');
  });

  test('a sender that is not a peer is refused: out of range, self, the commander after round 0, a lieutenant in round 0', () => {
    const g = lieutenant(4, 1);
    expectRefusal(g.receive(batch(0, 4, 1, ['ATTACK'])), 'not-a-peer');
    expectRefusal(g.receive(batch(0, -1, 1, ['ATTACK'])), 'not-a-peer');
    expectRefusal(g.receive(batch(0, 2, 1, ['ATTACK'])), 'not-a-peer');
    expectRefusal(g.receive(batch(1, 4, 1, ['ATTACK'])), 'not-a-peer');
    expectRefusal(g.receive(batch(1, 1, 1, ['ATTACK'])), 'not-a-peer');
    expectRefusal(g.receive(batch(1, 0, 1, ['ATTACK'])), 'not-a-peer');
    expectRefusal(g.receive(batch(1, 2.5, 1, ['ATTACK'])), 'not-a-peer');
  });

  test('a round outside 0..t is refused as round-out-of-range', () => {
    const g = lieutenant(4, 1);
    expectRefusal(g.receive(batch(2, 2, 1, ['ATTACK'])), 'round-out-of-range');
    expectRefusal(g.receive(batch(-1, 0, 1, ['ATTACK'])), 'round-out-of-range');
    expectRefusal(g.receive(batch(0.5, 0, 1, ['ATTACK'])), 'round-out-of-range');
    const deeper = lieutenant(5, 2);
    expectRefusal(deeper.receive(batch(3, 2, 1, ['ATTACK', 'ATTACK'])), 'round-out-of-range');
  });

  test('a batch of the wrong length is refused: round 0 carries 1 value, round 2 of n=5 carries 2', () => {
    const g = lieutenant(5, 2);
    expectRefusal(g.receive(batch(0, 0, 1, [])), 'wrong-length');
    expectRefusal(g.receive(batch(0, 0, 1, ['ATTACK', 'ATTACK'])), 'wrong-length');
    expectRefusal(g.receive(batch(2, 3, 1, ['ATTACK'])), 'wrong-length');
    expectRefusal(g.receive(batch(2, 3, 1, ['ATTACK', 'ATTACK', 'ATTACK'])), 'wrong-length');
    accepted(g.receive(batch(2, 3, 1, ['ATTACK', 'ATTACK'])));
  });

  test('a duplicate is refused and does not overwrite the first value', () => {
    const g = lieutenant(4, 1);
    accepted(g.receive(batch(0, 0, 1, ['ATTACK'])));
    accepted(g.receive(batch(1, 2, 1, ['ATTACK'])));
    expectRefusal(g.receive(batch(1, 2, 1, ['RETREAT'])), 'duplicate');
    expectRefusal(g.receive(batch(0, 0, 1, ['RETREAT'])), 'duplicate');
    accepted(g.receive(batch(1, 3, 1, ['RETREAT'])));
    // own ATTACK, 2 said ATTACK, 3 said RETREAT; had the duplicate counted, 2 would say RETREAT.
    assert.equal(g.decision, 'ATTACK');
    assert.equal(g.receivedValues, 3);
  });

  test('refused batches leave the general as it was', () => {
    const g = lieutenant(4, 1);
    g.receive(batch(0, 0, 2, ['ATTACK']));
    g.receive(batch(0, 3, 1, ['ATTACK']));
    g.receive(batch(5, 2, 1, ['ATTACK']));
    g.receive(batch(0, 0, 1, ['ATTACK', 'RETREAT']));
    assert.equal(g.receivedValues, 0);
    assert.equal(g.round, 0);
    const step = accepted(g.receive(batch(0, 0, 1, ['ATTACK'])));
    assert.deepEqual(
      step.completed.map((c) => c.round),
      [0],
    );
  });

  test('a malformed value is stored as RETREAT', () => {
    const g = lieutenant(4, 1);
    const step = accepted(g.receive(batch(0, 0, 1, ['attack' as unknown as Order])));
    assert.deepEqual(
      sentByReceiver(step, 1),
      new Map([
        [2, ['RETREAT']],
        [3, ['RETREAT']],
      ]),
    );
  });
});

describe('round deadlines', () => {
  test('expire() closes a round, lists the missing senders, and missing values count as RETREAT', () => {
    // n=5, t=1: own ATTACK, 2 says ATTACK, 3 and 4 missing: 2 ATTACK against 2 RETREAT is a tie: RETREAT.
    const g = lieutenant(5, 1);
    accepted(g.receive(batch(0, 0, 1, ['ATTACK'])));
    accepted(g.receive(batch(1, 2, 1, ['ATTACK'])));
    const step = g.expire(1);
    assert.deepEqual(step.completed, [
      { round: 1, batchesExpected: 3, batchesReceived: 1, timedOut: true, missing: [3, 4] },
    ]);
    assert.equal(g.decision, 'RETREAT');
  });

  test('a round closed by its deadline still decides by majority of what arrived plus RETREAT for the rest', () => {
    // own ATTACK, 2 and 3 ATTACK, 4 missing: 3 against 1.
    const g = lieutenant(5, 1);
    accepted(g.receive(batch(0, 0, 1, ['ATTACK'])));
    accepted(g.receive(batch(1, 2, 1, ['ATTACK'])));
    accepted(g.receive(batch(1, 3, 1, ['ATTACK'])));
    assert.deepEqual(
      g.expire(1).completed.map((c) => c.missing),
      [[4]],
    );
    assert.equal(g.decision, 'ATTACK');
  });

  test('a missing order is relayed as RETREAT, and a batch for a round closed by its deadline is refused as round-closed', () => {
    const g = lieutenant(4, 1);
    const step = g.expire(0);
    assert.deepEqual(step.completed, [
      { round: 0, batchesExpected: 1, batchesReceived: 0, timedOut: true, missing: [0] },
    ]);
    assert.deepEqual(
      sentByReceiver(step, 1),
      new Map([
        [2, ['RETREAT']],
        [3, ['RETREAT']],
      ]),
    );
    const late = refused(g.receive(batch(0, 0, 1, ['ATTACK'])));
    assert.equal(late.code, 'round-closed');
    // The run goes on: own RETREAT (missing), 2 and 3 say ATTACK.
    accepted(g.receive(batch(1, 2, 1, ['ATTACK'])));
    accepted(g.receive(batch(1, 3, 1, ['ATTACK'])));
    assert.equal(g.decision, 'ATTACK');
  });

  test('a deadline for a round already complete changes nothing', () => {
    const g = lieutenant(4, 1);
    accepted(g.receive(batch(0, 0, 1, ['ATTACK'])));
    const step = g.expire(0);
    assert.deepEqual([step.completed, step.outbox], [[], []]);
    assert.equal(g.round, 1);
  });
});
