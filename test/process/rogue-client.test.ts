/**
 * A rogue client sends malformed SendOrder batches to one running general (general 1 of 7, t=2).
 * First it joins general 1 to a run of its own, exactly as the client would (RunAlgorithm, a
 * lieutenant's request, no order), with a long round deadline so that the run stays open. Each bad
 * batch must be refused with a precise gRPC status and details, and logged; the general must keep
 * serving, and a following full run must agree. Mutual TLS is on, as by default: the rogue speaks
 * with the certificate of the sender each batch names (general 0 or 2, from the cluster's
 * credentials), so that it gets past the identity check to the checks under test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { batchSize } from '../../src/core/om/counts.js';
import type { Order } from '../../src/core/order.js';
import { LocalCluster } from '../../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import { checkHealth } from '../../src/net/health.js';
import type { PeerClients } from '../../src/net/peers.js';
import { exitCodeOf, summarize } from '../../src/run/result.js';
import { asGeneral } from '../support/keys.js';
import {
  type CallOutcome,
  hugeSendOrder,
  lines,
  MAX_MESSAGE_BYTES,
  rogueClient,
  sendOrder,
  sendRawSendOrder,
  tempDir,
  wireBatch,
} from '../support/process.js';

const N = 7;
const T = 2;
const TARGET = 1;
const RUN = 'rogue-run';
const ATTACK: Order = 'ATTACK';
const RETREAT: Order = 'RETREAT';

const logs = tempDir('rogue');
let cluster: LocalCluster | undefined;
let peers: PeerClients | undefined;
/** Rogue clients by the general whose certificate they hold. */
const rogues = new Map<number, ReturnType<typeof rogueClient>>();
let address = '';

before(async () => {
  // With every general alive a run never waits on a round deadline; a generous one only keeps a
  // loaded machine from turning a slow batch into a missing one.
  cluster = await LocalCluster.start({ n: N, roster: new Map(), roundTimeoutMs: 10_000, logDir: logs.path });
  peers = cluster.clients();
  await waitForGenerals(peers, 60_000);
  address = peers.address(TARGET);
  // Join general 1 to a run as the client would; a minute per round keeps every round open.
  const join = { runId: RUN, generals: N, t: T, roundTimeoutMs: 60_000 };
  await peers.call(TARGET, 'RunAlgorithm', { ...join, algorithm: 1, order: 0 }, 10_000);
});

after(async () => {
  for (const rogue of rogues.values()) rogue.close();
  peers?.close();
  await cluster?.stop();
  logs.remove();
});

/** A rogue client of general 1 holding general `as`'s certificate. */
function rogueAs(as: number): ReturnType<typeof rogueClient> {
  let rogue = rogues.get(as);
  if (rogue === undefined) {
    assert.ok(cluster?.keyDir, 'the cluster runs with mutual TLS, so it has a credentials directory');
    rogue = rogueClient(address, asGeneral(cluster.keyDir, as, N), TARGET);
    rogues.set(as, rogue);
  }
  return rogue;
}

const batch = (round: number, sender: number, values: Order[], runId = RUN, receiver = TARGET) =>
  wireBatch({ runId, round, sender, receiver, values });

/** Sends `request` with the certificate of the general it names as its sender (general 2 for 99). */
function send(request: ReturnType<typeof batch>, as = request.sender ?? 2): Promise<CallOutcome> {
  return sendOrder(rogueAs(as < N ? as : 2), request);
}

function refused(outcome: CallOutcome, code: grpc.status, details: RegExp): void {
  assert.equal(outcome.ok, false, `expected ${grpc.status[code]}, the batch was accepted`);
  if (outcome.ok) return;
  assert.equal(grpc.status[outcome.code], grpc.status[code], `status (details: ${outcome.details})`);
  assert.match(outcome.details, details);
}

/** What general 1 logged; read after the cluster has stopped, so every line is flushed. */
let intermediateLog = '';

describe('malformed SendOrder batches to general 1', () => {
  test('a batch of the wrong length: INVALID_ARGUMENT', async () => {
    assert.equal(batchSize(N, 1), 1);
    const outcome = await send(batch(1, 2, [ATTACK, ATTACK, ATTACK]));
    refused(outcome, grpc.status.INVALID_ARGUMENT, /round 1 batch has 3 values, expected 1/);
  });

  test('a batch addressed to another general: INVALID_ARGUMENT', async () => {
    const outcome = await send(batch(1, 2, [ATTACK], RUN, 3));
    refused(outcome, grpc.status.INVALID_ARGUMENT, /addressed to general 3, this is general 1/);
  });

  test("a sender that is not the caller's certificate (99, sent by general 2): UNAUTHENTICATED", async () => {
    const outcome = await send(batch(1, 99, [ATTACK]));
    refused(outcome, grpc.status.UNAUTHENTICATED, /general 2 cannot send as general 99/);
  });

  test("general 2's certificate naming general 3 as the sender: UNAUTHENTICATED", async () => {
    const outcome = await send(batch(1, 3, [ATTACK]), 2);
    refused(outcome, grpc.status.UNAUTHENTICATED, /general 2 cannot send as general 3/);
  });

  test('the commander sending in round 1: PERMISSION_DENIED', async () => {
    const outcome = await send(batch(1, 0, [ATTACK]));
    refused(outcome, grpc.status.PERMISSION_DENIED, /general 0 is not a lieutenant that sends round 1/);
  });

  test('a lieutenant sending round 0: PERMISSION_DENIED', async () => {
    const outcome = await send(batch(0, 2, [ATTACK]));
    refused(outcome, grpc.status.PERMISSION_DENIED, /only the commander \(0\) does/);
  });

  test('an unknown run: NOT_FOUND', async () => {
    const outcome = await send(batch(1, 2, [ATTACK], 'no-such-run'));
    refused(outcome, grpc.status.NOT_FOUND, /unknown run "no-such-run"/);
  });

  test('a round out of range (3 when t=2): OUT_OF_RANGE', async () => {
    const outcome = await send(batch(3, 2, [ATTACK]));
    refused(outcome, grpc.status.OUT_OF_RANGE, /round 3 is outside 0\.\.2/);
  });

  test('a batch far larger than any of the run: RESOURCE_EXHAUSTED', async () => {
    assert.equal(batchSize(N, T), 4);
    const outcome = await send(batch(2, 2, new Array<typeof RETREAT>(10_000).fill(RETREAT)));
    refused(
      outcome,
      grpc.status.RESOURCE_EXHAUSTED,
      /batch of 10000 values is larger than any batch of this run \(at most 4\)/,
    );
  });

  test('a batch beyond the 4 MiB transport limit: refused by the transport with RESOURCE_EXHAUSTED', async () => {
    assert.ok(cluster?.keyDir);
    const as2 = asGeneral(cluster.keyDir, 2, N);
    // The hand encoding, small enough to reach the general: read as 5000 values, refused by it.
    const small = await sendRawSendOrder(address, hugeSendOrder(RUN, 5000), as2, TARGET);
    refused(small, grpc.status.RESOURCE_EXHAUSTED, /batch of 5000 values is larger than any batch/);
    // Beyond the limit it never reaches the handler (so the general cannot log it).
    const body = hugeSendOrder(RUN, 8 * (MAX_MESSAGE_BYTES + 1024));
    assert.ok(body.length > MAX_MESSAGE_BYTES);
    const outcome = await sendRawSendOrder(address, body, as2, TARGET);
    refused(outcome, grpc.status.RESOURCE_EXHAUSTED, /larger than max/i);
  });

  test('values that cannot pack the count they claim: INVALID_ARGUMENT', async () => {
    const outcome = await send({ ...batch(1, 2, [ATTACK]), count: 1, values: new Uint8Array([0x03]) });
    refused(
      outcome,
      grpc.status.INVALID_ARGUMENT,
      /values holds 1 bytes, which cannot pack exactly 1 values/,
    );
  });

  test('a duplicate: the first copy is accepted, the second ALREADY_EXISTS', async () => {
    // Round 1 from lieutenant 2 arrives early (general 1 is still in round 0) and is stored.
    const first = await send(batch(1, 2, [RETREAT]));
    assert.deepEqual(first, { ok: true, accepted: 1 });
    const second = await send(batch(1, 2, [RETREAT]));
    refused(second, grpc.status.ALREADY_EXISTS, /round 1 from general 2 was already received/);
  });

  test('the general keeps serving', async () => {
    assert.ok(peers);
    const health = peers.health(TARGET);
    try {
      assert.equal(await checkHealth(health, 10_000), 'SERVING');
    } finally {
      health.close();
    }
    assert.equal(cluster?.casualties().size, 0, 'no general exited');
  });

  test('a following full run agrees: exit status 0, every value delivered', async () => {
    assert.ok(peers);
    const result = summarize(
      await runOnCluster(peers, {
        n: N,
        t: T,
        order: 'ATTACK',
        roster: new Map(),
      }),
    );
    assert.equal(exitCodeOf(result), 0);
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    assert.equal(result.consensus, 'ATTACK');
    assert.deepEqual(result.messages, { expected: 156, delivered: 156 });
    for (const g of result.generals) assert.equal(g.decision, 'ATTACK', `general ${g.id}`);
  });

  test("every refusal is in general 1's intermediate log as REJECTED", async () => {
    // Stopping the cluster flushes and closes every log (the after hook then has nothing to stop).
    peers?.close();
    await cluster?.stop();
    intermediateLog = readFileSync(join(logs.path, `general_${TARGET}_intermediate.log`), 'utf8');
    const rejected = lines(intermediateLog).filter((line) => line.includes(' REJECTED '));
    const expected: Array<[string, RegExp]> = [
      ['wrong length', /run=rogue-run round=1 from=2 REJECTED wrong-length: round 1 batch has 3 values/],
      ['wrong receiver', /run=rogue-run round=1 from=2 REJECTED wrong-receiver: /],
      [
        'sender 99',
        /run=rogue-run round=1 from=99 REJECTED unauthenticated: general 2 cannot send as general 99/,
      ],
      [
        'sender 3',
        /run=rogue-run round=1 from=3 REJECTED unauthenticated: general 2 cannot send as general 3/,
      ],
      ['malformed values', /run=rogue-run round=1 from=2 REJECTED malformed-values: values holds 1 bytes/],
      ['commander in round 1', /run=rogue-run round=1 from=0 REJECTED not-a-peer: /],
      ['lieutenant in round 0', /run=rogue-run round=0 from=2 REJECTED not-a-peer: /],
      ['unknown run', /run=no-such-run round=1 from=2 REJECTED unknown-run: /],
      ['round out of range', /run=rogue-run round=3 from=2 REJECTED round-out-of-range: /],
      ['oversized', /run=rogue-run round=2 from=2 REJECTED oversized: batch of 10000 values/],
      ['oversized, hand-encoded', /run=rogue-run round=1 from=2 REJECTED oversized: batch of 5000 values/],
      ['duplicate', /run=rogue-run round=1 from=2 REJECTED duplicate: /],
    ];
    for (const [what, pattern] of expected) {
      assert.equal(
        rejected.filter((line) => pattern.test(line)).length,
        1,
        `${what}: one REJECTED line matching ${pattern} in:\n${rejected.join('\n')}`,
      );
    }
    assert.equal(rejected.length, expected.length, `no other rejection:\n${rejected.join('\n')}`);
  });
});
