import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Order } from '../../src/core/order.js';
import type { Batch, ChainProof } from '../../src/core/run/types.js';
import { chainFault, extendChain } from '../../src/core/sm/chains.js';
import { SmRun } from '../../src/core/sm/sm-run.js';
import type { Strategy } from '../../src/core/strategy.js';
import { ephemeralSigning, SigningScheme } from '../../src/sim/signing.js';
import { accepted, must, refused } from '../support/fixtures.js';

const RUN = 'sm-test';
const N = 4;
const T = 2;
const keys = ephemeralSigning(N, SigningScheme.ed25519);
const signer = (id: number) => must(keys.signers[id], `a key for general ${id}`);

/** A chain as loyal generals would build it: value signed by each of `signers` in turn. */
function chain(value: Order, signers: readonly number[]): ChainProof {
  let out: ChainProof | undefined;
  for (const id of signers) out = extendChain(RUN, value, out, id, signer(id));
  return must(out, 'at least one signer');
}

function signedBatch(
  round: number,
  sender: number,
  receiver: number,
  values: readonly Order[],
  chains?: readonly ChainProof[],
): Batch {
  return { runId: RUN, round, sender, receiver, values, ...(chains === undefined ? {} : { chains }) };
}

function general(id: number, strategy: Strategy = { kind: 'loyal' }, order?: Order): SmRun {
  const spec = { runId: RUN, id, n: N, t: T, strategy, ...(order === undefined ? {} : { order }) };
  return new SmRun(spec, { signer: signer(id), verifier: keys.verifier });
}

/** Lieutenant 1 past round 0 (ATTACK from the commander), waiting on round 1. */
function lieutenantInRound1(): SmRun {
  const g = general(1);
  accepted(g.receive(signedBatch(0, 0, 1, ['ATTACK'], [chain('ATTACK', [0])])));
  assert.equal(g.round, 1);
  return g;
}

describe('SM: what makes a chain valid', () => {
  test('a genuine chain is accepted and stored with its signer list', () => {
    const g = lieutenantInRound1();
    const step = accepted(g.receive(signedBatch(1, 2, 1, ['RETREAT'], [chain('RETREAT', [0, 2])])));
    assert.equal(step.invalid, undefined);
    assert.deepEqual(
      Array.from(step.stored ?? [], (i) => g.pathAt(i)),
      [[0, 2]],
    );
    assert.equal(g.receivedValues, 2);
    assert.equal(g.invalidValues, 0);
    assert.deepEqual(g.tally(), { attack: 1, retreat: 1 });
  });

  interface Broken {
    readonly value: Order;
    readonly proof: ChainProof;
    readonly sender?: number;
    readonly round?: number;
  }
  const broken: Array<[string, RegExp, () => Broken]> = [
    [
      'a tampered value (signatures over ATTACK, value RETREAT)',
      /signature 0 \(general 0\)/,
      () => ({ value: 'RETREAT', proof: chain('ATTACK', [0, 2]) }),
    ],
    [
      'a tampered value re-signed by the relayer (the commander link breaks)',
      /signature 0 \(general 0\)/,
      () => ({ value: 'RETREAT', proof: extendChain(RUN, 'RETREAT', chain('ATTACK', [0]), 2, signer(2)) }),
    ],
    [
      'the commander link signed by another general (2)',
      /signature 0 \(general 0\)/,
      () => {
        const forged = extendChain(RUN, 'RETREAT', undefined, 0, signer(2));
        return { value: 'RETREAT', proof: extendChain(RUN, 'RETREAT', forged, 2, signer(2)) };
      },
    ],
    [
      'a missing signature',
      /1 signatures for 2 signers/,
      () => {
        const full = chain('RETREAT', [0, 2]);
        return { value: 'RETREAT', proof: { signers: full.signers, signatures: full.signatures.slice(1) } };
      },
    ],
    [
      'a corrupted signature byte',
      /signature 1 \(general 2\)/,
      () => {
        const full = chain('RETREAT', [0, 2]);
        const bad = Uint8Array.from(must(full.signatures[1], 'a signature'));
        bad[0] = (bad[0] ?? 0) ^ 1;
        const signatures = [must(full.signatures[0], 'a signature'), bad];
        return { value: 'RETREAT', proof: { signers: full.signers, signatures } };
      },
    ],
    [
      'a commander signature from another run',
      /signature 0 \(general 0\)/,
      () => {
        const other = extendChain('other-run', 'RETREAT', undefined, 0, signer(0));
        return { value: 'RETREAT', proof: extendChain(RUN, 'RETREAT', other, 2, signer(2)) };
      },
    ],
    [
      'a repeated signer (round 2, [0, 2, 2], every signature genuine)',
      /signer 2 appears twice/,
      () => ({ value: 'RETREAT', proof: chain('RETREAT', [0, 2, 2]), round: 2 }),
    ],
    [
      'a chain containing the receiver',
      /already signed by its receiver 1/,
      () => ({ value: 'RETREAT', proof: chain('RETREAT', [0, 1, 2]), round: 2 }),
    ],
    [
      'a chain too long for round 1',
      /3 signers in round 1/,
      () => ({ value: 'RETREAT', proof: chain('RETREAT', [0, 3, 2]) }),
    ],
    [
      'a chain too short for round 1',
      /1 signers in round 1/,
      () => ({ value: 'RETREAT', proof: chain('RETREAT', [0]) }),
    ],
    [
      'a chain not ending with its sender',
      /does not end with its sender 2/,
      () => ({ value: 'RETREAT', proof: chain('RETREAT', [0, 3]) }),
    ],
    [
      'a chain not starting at the commander',
      /does not start at the commander/,
      () => ({ value: 'RETREAT', proof: chain('RETREAT', [3, 2]) }),
    ],
  ];

  for (const [what, fault, make] of broken) {
    test(`${what}: ignored and counted invalid, the batch still accepted`, () => {
      const g = lieutenantInRound1();
      const { value, proof, sender = 2, round = 1 } = make();
      const at = { runId: RUN, n: N, round, sender, receiver: 1 };
      assert.match(chainFault(value, proof, at, keys.verifier) ?? 'valid', fault);
      const step = accepted(g.receive(signedBatch(round, sender, 1, [value], [proof])));
      assert.deepEqual(step.invalid, [0]);
      assert.equal(step.stored?.length, 1, 'every value of the batch keeps its place');
      assert.equal(g.invalidValues, 1);
      assert.equal(g.receivedValues, 1, 'only the commander order counts');
      assert.deepEqual(g.tally(), { attack: 1, retreat: 0 });
    });
  }

  test('a forged RETREAT never enters V: the lieutenant still decides ATTACK', () => {
    const g = lieutenantInRound1();
    accepted(g.receive(signedBatch(1, 2, 1, ['RETREAT'], [chain('ATTACK', [0, 2])])));
    accepted(g.receive(signedBatch(1, 3, 1, [], [])));
    accepted(g.receive(signedBatch(2, 2, 1, [], [])));
    accepted(g.receive(signedBatch(2, 3, 1, [], [])));
    assert.deepEqual(g.knownValues, ['ATTACK']);
    assert.equal(g.decision, 'ATTACK');
  });

  test('missing chains, or fewer chains than values: malformed-chain, the batch is refused', () => {
    const g = lieutenantInRound1();
    assert.equal(refused(g.receive(signedBatch(1, 2, 1, ['RETREAT']))).code, 'malformed-chain');
    const short = signedBatch(1, 2, 1, ['RETREAT', 'ATTACK'], [chain('RETREAT', [0, 2])]);
    assert.equal(refused(g.receive(short)).code, 'malformed-chain');
    // Refused batches do not count: the same sender can still send its real batch.
    accepted(g.receive(signedBatch(1, 2, 1, ['RETREAT'], [chain('RETREAT', [0, 2])])));
    // An empty batch needs no chains: proto3 sends no list for it.
    accepted(g.receive(signedBatch(1, 3, 1, [])));
  });

  test('more than one chain per value (3 values): wrong-length', () => {
    const g = lieutenantInRound1();
    const c = chain('RETREAT', [0, 2]);
    assert.equal(
      refused(g.receive(signedBatch(1, 2, 1, ['RETREAT', 'RETREAT', 'RETREAT'], [c, c, c]))).code,
      'wrong-length',
    );
  });

  test("OM's other checks, with the same codes", () => {
    const g = lieutenantInRound1();
    const c = [chain('RETREAT', [0, 2])];
    assert.equal(refused(g.receive(signedBatch(1, 2, 3, ['RETREAT'], c))).code, 'wrong-receiver');
    assert.equal(refused(g.receive(signedBatch(1, 0, 1, ['RETREAT'], c))).code, 'not-a-peer');
    assert.equal(refused(g.receive(signedBatch(3, 2, 1, ['RETREAT'], c))).code, 'round-out-of-range');
    accepted(g.receive(signedBatch(1, 2, 1, ['RETREAT'], c)));
    assert.equal(refused(g.receive(signedBatch(1, 2, 1, ['RETREAT'], c))).code, 'duplicate');
    g.expire(1);
    assert.equal(refused(g.receive(signedBatch(1, 3, 1, [], []))).code, 'round-closed');
  });
});

describe('SM: rounds, relays and choice(V) (n=4, t=2)', () => {
  test('the commander signs its order to each lieutenant and decides it', () => {
    const c = general(0, { kind: 'loyal' }, 'ATTACK');
    const step = c.start();
    assert.deepEqual(
      step.outbox.map((b) => [b.round, b.receiver, b.values, b.chains?.map((x) => x.signers)]),
      [1, 2, 3].map((j) => [0, j, ['ATTACK'], [[0]]]),
    );
    assert.equal(c.decision, 'ATTACK');
    assert.equal(c.sentValues, 3);
  });

  test('an equivocating commander signs both values: each chain verifies', () => {
    const c = general(0, { kind: 'equivocate' }, 'ATTACK');
    const step = c.start();
    assert.deepEqual(
      step.outbox.map((b) => [b.receiver, b.values]),
      [
        [1, ['ATTACK']],
        [2, ['RETREAT']],
        [3, ['ATTACK']],
      ],
    );
    assert.equal(c.lies, 1);
    for (const b of step.outbox) {
      const g = general(b.receiver);
      const result = accepted(g.receive(b));
      assert.equal(result.invalid, undefined, `lieutenant ${b.receiver} should accept a genuine signature`);
    }
  });

  test('a lieutenant relays a new value once, to those not in its chain; empty batches otherwise', () => {
    const g = general(1);
    const round0 = accepted(g.receive(signedBatch(0, 0, 1, ['ATTACK'], [chain('ATTACK', [0])])));
    assert.deepEqual(
      round0.outbox.map((b) => [b.round, b.receiver, b.values, b.chains?.map((x) => x.signers)]),
      [
        [1, 2, ['ATTACK'], [[0, 1]]],
        [1, 3, ['ATTACK'], [[0, 1]]],
      ],
    );
    // Round 1: 3 relays ATTACK (already in V), 2 relays RETREAT (new) via two chains: the smaller wins.
    accepted(g.receive(signedBatch(1, 3, 1, ['ATTACK'], [chain('ATTACK', [0, 3])])));
    const round1 = accepted(g.receive(signedBatch(1, 2, 1, ['RETREAT'], [chain('RETREAT', [0, 2])])));
    assert.deepEqual(
      round1.outbox.map((b) => [b.round, b.receiver, b.values, b.chains?.map((x) => x.signers)]),
      [
        [2, 2, [], []],
        [2, 3, ['RETREAT'], [[0, 2, 1]]],
      ],
      'RETREAT goes only to 3: 2 is in the chain; ATTACK is not relayed again',
    );
    accepted(g.receive(signedBatch(2, 2, 1, [], [])));
    accepted(g.receive(signedBatch(2, 3, 1, [], [])));
    assert.deepEqual(g.knownValues, ['ATTACK', 'RETREAT']);
    assert.equal(g.decision, 'RETREAT', 'choice of two values is RETREAT');
    assert.equal(g.sentValues, 3);
  });

  test('a flipping lieutenant tampers: swaps the value, keeps the old signatures, signs its link; a lie', () => {
    const g = general(1, { kind: 'flip' });
    const step = accepted(g.receive(signedBatch(0, 0, 1, ['ATTACK'], [chain('ATTACK', [0])])));
    assert.deepEqual(
      step.lies.map((l) => [l.round, l.receiver, l.path, l.before, l.after]),
      [
        [1, 2, [0], 'ATTACK', 'RETREAT'],
        [1, 3, [0], 'ATTACK', 'RETREAT'],
      ],
    );
    const original = chain('ATTACK', [0]);
    for (const b of step.outbox) {
      assert.deepEqual(b.values, ['RETREAT']);
      const proof = must(b.chains?.[0], 'a chain');
      assert.deepEqual(proof.signers, [0, 1]);
      assert.deepEqual(proof.signatures[0], original.signatures[0], 'the commander signature is kept');
      const receiver = general(b.receiver);
      accepted(receiver.receive(signedBatch(0, 0, b.receiver, ['ATTACK'], [chain('ATTACK', [0])])));
      assert.deepEqual(accepted(receiver.receive(b)).invalid, [0], 'and detected where it arrives');
    }
    assert.equal(g.lies, 2);
    assert.equal(g.sentValues, 2);
  });

  test('a silent lieutenant sends no batch at all, not even an empty one', () => {
    const g = general(1, { kind: 'silent' });
    const step = accepted(g.receive(signedBatch(0, 0, 1, ['ATTACK'], [chain('ATTACK', [0])])));
    assert.deepEqual(step.outbox, []);
    assert.equal(step.lies.length, 2);
    const later = accepted(g.receive(signedBatch(1, 2, 1, [], [])));
    assert.deepEqual(later.outbox, []);
  });

  test('a silent commander: round 0 expires, V stays empty, RETREAT', () => {
    const g = general(1);
    const expired = g.expire(0);
    assert.deepEqual(
      expired.completed.map((c) => [c.round, c.timedOut, c.missing]),
      [[0, true, [0]]],
    );
    assert.deepEqual(
      expired.outbox.map((b) => [b.receiver, b.values]),
      [
        [2, []],
        [3, []],
      ],
    );
    for (const round of [1, 2]) {
      accepted(g.receive(signedBatch(round, 2, 1, [], [])));
      accepted(g.receive(signedBatch(round, 3, 1, [], [])));
    }
    assert.deepEqual(g.knownValues, []);
    assert.equal(g.decision, 'RETREAT');
  });

  test('early batches for a later round are held and judged when that round closes', () => {
    const g = general(1);
    accepted(g.receive(signedBatch(1, 2, 1, ['RETREAT'], [chain('RETREAT', [0, 2])])));
    accepted(g.receive(signedBatch(1, 3, 1, [], [])));
    assert.equal(g.round, 0);
    const step = accepted(g.receive(signedBatch(0, 0, 1, ['ATTACK'], [chain('ATTACK', [0])])));
    assert.deepEqual(
      step.completed.map((c) => c.round),
      [0, 1],
    );
    assert.deepEqual(g.knownValues, ['ATTACK', 'RETREAT']);
  });
});
