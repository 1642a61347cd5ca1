import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KingRun } from '../../src/core/king/king-run.js';
import type { Order } from '../../src/core/order.js';
import type { KingConclusion, Step } from '../../src/core/run/types.js';
import type { Strategy } from '../../src/core/strategy.js';
import { accepted, batch, refused, sentByReceiver } from '../support/fixtures.js';

/** One KingRun, driven by hand. n=4, t=1: n-t=3, rounds 0..6, kings 0 (phase 1) and 1 (phase 2). */
function general(id: number, strategy: Strategy = { kind: 'loyal' }, n = 4, t = 1): KingRun {
  return new KingRun({ runId: 'test-run', id, n, t, strategy, ...(id === 0 ? { order: 'ATTACK' } : {}) });
}

const A: Order = 'ATTACK';
const R: Order = 'RETREAT';
const conclusions = (step: Step): KingConclusion[] => step.concluded ?? [];

describe('King: the commander', () => {
  test('sends its order, closes round 0 at once (it expects nothing) and plays on into phase 1', () => {
    const g = general(0);
    const step = g.start();
    assert.deepEqual(
      step.outbox.map((b) => [b.round, b.receiver, b.values]),
      [
        [0, 1, [A]],
        [0, 2, [A]],
        [0, 3, [A]],
        [1, 1, [A]],
        [1, 2, [A]],
        [1, 3, [A]],
      ],
    );
    assert.deepEqual(step.completed, [
      { round: 0, batchesExpected: 0, batchesReceived: 0, timedOut: false, missing: [] },
    ]);
    assert.deepEqual(conclusions(step), [{ kind: 'order', round: 0, phase: 0, heard: A, x: A }]);
    assert.equal(g.decision, A, 'its decision is its order from the start');
    assert.equal(g.finished, false, 'but it takes part in every phase');
    assert.equal(g.round, 1);
    assert.equal(g.lastRound, 6);
    assert.equal(g.largestBatch, 1);
  });
});

describe('King: a lieutenant through two phases by hand (n=4, t=1)', () => {
  test('value, propose, king: c and P counted with its own message, x taken from the king when P(x) < n-t', () => {
    const g = general(1);
    assert.deepEqual(g.start().outbox, [], 'a lieutenant sends nothing before the order');
    assert.equal(g.expectedValues, 1 + 2 * 2 * 3 + 1, 'the order, 3+3 a phase, the king 0 in phase 1 only');

    let step = accepted(g.receive(batch(0, 0, 1, [A])));
    assert.deepEqual(conclusions(step), [{ kind: 'order', round: 0, phase: 0, heard: A, x: A }]);
    assert.deepEqual(
      sentByReceiver(step, 1),
      new Map([
        [0, [A]],
        [2, [A]],
        [3, [A]],
      ]),
    );

    // Round 1: own A, 0 says A, 2 says R, 3 says A: c = 3/1 >= n-t=3 for ATTACK, so it proposes ATTACK.
    accepted(g.receive(batch(1, 0, 1, [A])));
    accepted(g.receive(batch(1, 2, 1, [R])));
    step = accepted(g.receive(batch(1, 3, 1, [A])));
    assert.deepEqual(conclusions(step), [
      { kind: 'value', round: 1, phase: 1, king: 0, counts: { attack: 3, retreat: 1 }, proposal: A, x: A },
    ]);
    assert.deepEqual([...sentByReceiver(step, 2).values()], [[A], [A], [A]]);

    // Round 2: own A, 0 proposes A, 2 propose(none) (an empty batch), 3 R: P = 2/1, P(A) > t=1 so x = A.
    accepted(g.receive(batch(2, 0, 1, [A])));
    accepted(g.receive(batch(2, 2, 1, [])));
    step = accepted(g.receive(batch(2, 3, 1, [R])));
    assert.deepEqual(conclusions(step), [
      { kind: 'propose', round: 2, phase: 1, king: 0, counts: { attack: 2, retreat: 1 }, x: A },
    ]);
    assert.deepEqual(step.outbox, [], 'only the king (0) sends in round 3');

    // Round 3: P(x=A) = 2 < n-t=3, so it takes the king's RETREAT; then phase 2's value(R) goes out.
    step = accepted(g.receive(batch(3, 0, 1, [R])));
    assert.deepEqual(conclusions(step), [
      { kind: 'king', round: 3, phase: 1, king: 0, heard: R, support: 2, kept: false, x: R },
    ]);
    assert.deepEqual([...sentByReceiver(step, 4).values()], [[R], [R], [R]]);
    assert.deepEqual(g.phases(), [
      {
        phase: 1,
        king: 0,
        start: A,
        values: { attack: 3, retreat: 1 },
        proposal: A,
        proposals: { attack: 2, retreat: 1 },
        kingValue: R,
        tookKing: true,
        x: R,
      },
    ]);
    assert.deepEqual(g.tally(), { attack: 2, retreat: 1 }, 'the tally is P of the last phase');

    // Phase 2, it is the king: c = own R + R, R, A = 1/3, proposes R; P = own R + R, R, none = 0/3 > t.
    accepted(g.receive(batch(4, 0, 1, [R])));
    accepted(g.receive(batch(4, 2, 1, [R])));
    accepted(g.receive(batch(4, 3, 1, [A])));
    accepted(g.receive(batch(5, 0, 1, [R])));
    accepted(g.receive(batch(5, 2, 1, [R])));
    step = accepted(g.receive(batch(5, 3, 1, [])));
    // Round 6 is its own: it sends its x to the three others and, expecting nothing, is done.
    assert.deepEqual([...sentByReceiver(step, 6).values()], [[R], [R], [R]]);
    assert.deepEqual(
      conclusions(step).map((c) => [c.kind, c.round, c.x]),
      [
        ['propose', 5, R],
        ['king', 6, R],
      ],
    );
    assert.deepEqual(step.completed.at(-1), {
      round: 6,
      batchesExpected: 0,
      batchesReceived: 0,
      timedOut: false,
      missing: [],
    });
    assert.equal(g.finished, true);
    assert.equal(g.decision, R);
    assert.equal(g.round, 7);
    assert.deepEqual(g.phases()[1], {
      phase: 2,
      king: 1,
      start: R,
      values: { attack: 1, retreat: 3 },
      proposal: R,
      proposals: { attack: 0, retreat: 3 },
      kingValue: null,
      tookKing: false,
      x: R,
    });
    assert.equal(g.receivedValues, 1 + 6 + 1 + 6, 'messages received, propose(none) included');
    assert.equal(g.sentValues, 3 + 3 + 3 + 3 + 3, 'value and propose in both phases, and its king round');
  });

  test('a batch for a later round is kept until that round comes', () => {
    const g = general(2);
    // The commander has already moved on to phase 1: its value(ATTACK) overtakes its order.
    accepted(g.receive(batch(1, 0, 2, [A])));
    assert.equal(g.round, 0);
    accepted(g.receive(batch(0, 0, 2, [A])));
    accepted(g.receive(batch(1, 1, 2, [A])));
    const step = accepted(g.receive(batch(1, 3, 2, [R])));
    assert.deepEqual(conclusions(step)[0], {
      kind: 'value',
      round: 1,
      phase: 1,
      king: 0,
      counts: { attack: 3, retreat: 1 },
      proposal: A,
      x: A,
    });
  });
});

describe('King: deadlines', () => {
  test('a silent king: its round closes at the deadline and the missing value reads as RETREAT', () => {
    const g = general(3);
    accepted(g.receive(batch(0, 0, 3, [A])));
    for (const s of [0, 1, 2]) accepted(g.receive(batch(1, s, 3, [A])));
    // Only 0 proposes ATTACK: P = own A + 1 = 2 > t keeps x = A, but 2 < n-t leaves it to the king.
    accepted(g.receive(batch(2, 0, 3, [A])));
    accepted(g.receive(batch(2, 1, 3, [])));
    accepted(g.receive(batch(2, 2, 3, [])));
    assert.equal(g.round, 3);
    const step = g.expire(3);
    assert.deepEqual(step.completed, [
      { round: 3, batchesExpected: 1, batchesReceived: 0, timedOut: true, missing: [0] },
    ]);
    assert.deepEqual(conclusions(step), [
      { kind: 'king', round: 3, phase: 1, king: 0, heard: null, support: 2, kept: false, x: R },
    ]);
    assert.equal(g.phases()[0]?.kingValue, null);
    assert.equal(refused(g.receive(batch(3, 0, 3, [A]))).code, 'round-closed');
  });

  test('P(x) >= n-t: the king is not needed, its value is ignored', () => {
    const g = general(3);
    accepted(g.receive(batch(0, 0, 3, [A])));
    for (const s of [0, 1, 2]) accepted(g.receive(batch(1, s, 3, [A])));
    for (const s of [0, 1, 2]) accepted(g.receive(batch(2, s, 3, [A])));
    const step = accepted(g.receive(batch(3, 0, 3, [R])));
    assert.deepEqual(conclusions(step)[0], {
      kind: 'king',
      round: 3,
      phase: 1,
      king: 0,
      heard: R,
      support: 4,
      kept: true,
      x: A,
    });
  });
});

describe('King: what a batch may be', () => {
  test('refuses the wrong length, the wrong sender, a round past 3(t+1), a duplicate and itself', () => {
    const g = general(2);
    accepted(g.receive(batch(0, 0, 2, [A])));
    const empty = refused(g.receive(batch(1, 1, 2, [])));
    assert.equal(empty.code, 'wrong-length');
    assert.match(empty.message, /round 1 \(value\) batch has 0 values, expected 1/);
    const two = refused(g.receive(batch(2, 1, 2, [A, R])));
    assert.equal(two.code, 'wrong-length');
    assert.match(two.message, /round 2 \(propose\) batch has 2 values, expected 0 or 1/);
    const notKing = refused(g.receive(batch(3, 3, 2, [A])));
    assert.equal(notKing.code, 'not-a-peer');
    assert.match(notKing.message, /king's round of phase 1, and only the king \(0\) sends/);
    const order = refused(g.receive(batch(0, 1, 2, [A])));
    assert.equal(order.code, 'not-a-peer');
    assert.match(order.message, /only the commander \(0\) does/);
    assert.equal(refused(g.receive(batch(1, 2, 2, [A]))).code, 'not-a-peer');
    assert.equal(refused(g.receive(batch(1, 9, 2, [A]))).code, 'not-a-peer');
    const late = refused(g.receive(batch(7, 1, 2, [A])));
    assert.equal(late.code, 'round-out-of-range');
    assert.match(late.message, /outside 0\.\.6/);
    accepted(g.receive(batch(1, 1, 2, [A])));
    assert.equal(refused(g.receive(batch(1, 1, 2, [A]))).code, 'duplicate');
  });

  test('the commander accepts value, propose and king messages from the others', () => {
    const g = general(0);
    g.start();
    for (const s of [1, 2, 3]) accepted(g.receive(batch(1, s, 0, [A])));
    assert.equal(g.round, 2);
    assert.equal(refused(g.receive(batch(0, 1, 0, [A]))).code, 'not-a-peer');
  });

  test('needs t+1 kings among its generals', () => {
    assert.throws(() => general(1, { kind: 'loyal' }, 3, 3), /needs t\+1=4 kings/);
  });
});

describe('King: traitors', () => {
  test('equivocate lies to even receivers about its own value, recorded with its own id as the path', () => {
    const g = general(1, { kind: 'equivocate' });
    const step = accepted(g.receive(batch(0, 0, 1, [A])));
    assert.deepEqual(
      sentByReceiver(step, 1),
      new Map([
        [0, [R]],
        [2, [R]],
        [3, [A]],
      ]),
    );
    assert.deepEqual(step.lies, [
      { round: 1, receiver: 0, path: [1], before: A, after: R },
      { round: 1, receiver: 2, path: [1], before: A, after: R },
    ]);
    assert.equal(g.lies, 2);
  });

  test('propose(none) goes out empty and unchanged, even from a flipping traitor; silent sends nothing at all', () => {
    const flip = general(1, { kind: 'flip' });
    accepted(flip.receive(batch(0, 0, 1, [A])));
    accepted(flip.receive(batch(1, 0, 1, [A])));
    accepted(flip.receive(batch(1, 2, 1, [R])));
    const step = accepted(flip.receive(batch(1, 3, 1, [R])));
    // Its own A (counted unaltered), A, R, R: c = 2/2, neither reaches n-t=3.
    assert.deepEqual(
      sentByReceiver(step, 2),
      new Map([
        [0, []],
        [2, []],
        [3, []],
      ]),
    );
    assert.deepEqual(step.lies, []);

    const silent = general(1, { kind: 'silent' });
    const heard = accepted(silent.receive(batch(0, 0, 1, [A])));
    assert.deepEqual(heard.outbox, []);
    assert.equal(heard.lies.length, 3, 'three values withheld');
    accepted(silent.receive(batch(1, 0, 1, [A])));
    accepted(silent.receive(batch(1, 2, 1, [R])));
    const none = accepted(silent.receive(batch(1, 3, 1, [R])));
    assert.deepEqual(
      [none.outbox, none.lies],
      [[], []],
      'a withheld propose(none) carries no value to lie about',
    );
    assert.equal(silent.sentValues, 0);
  });
});
