/**
 * A rogue client sends malformed SendOrder batches to one running general (general 1 of 7, t=2).
 * First it joins general 1 to a run of its own, exactly as the client would (RunAlgorithm, a
 * lieutenant's request, no order), with a long round deadline so that the run stays open. Each bad
 * batch must be refused with a precise gRPC status and details, and logged; the general must keep
 * serving, and a following full run must agree. Authentication is on, as by default: each batch is
 * signed with its claimed sender's key from the cluster's key directory, so that it gets past the
 * signature check to the checks under test (a general with no key, 99, cannot sign at all).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { batchSize } from '../../src/core/om/counts.js';
import { batchBytes } from '../../src/core/signatures.js';
import { LocalCluster } from '../../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import type { SendOrderRequest } from '../../src/net/generated/byzantine/v1/SendOrderRequest.js';
import { checkHealth, healthClient } from '../../src/net/health.js';
import { PeerClients } from '../../src/net/peers.js';
import { WireOrder } from '../../src/net/proto.js';
import { exitCodeOf, summarize } from '../../src/run/result.js';
import { generalSigner, signed } from '../support/keys.js';
import {
  type CallOutcome,
  hugeSendOrder,
  lines,
  MAX_MESSAGE_BYTES,
  rogueClient,
  sendOrder,
  sendRawSendOrder,
  tempDir,
} from '../support/process.js';

const N = 7;
const T = 2;
const TARGET = 1;
const RUN = 'rogue-run';
const { ATTACK, RETREAT } = WireOrder;

const logs = tempDir('rogue');
let cluster: LocalCluster | undefined;
let peers: PeerClients | undefined;
let rogue: ReturnType<typeof rogueClient> | undefined;
let address = '';

before(async () => {
  // With every general alive a run never waits on a round deadline; a generous one only keeps a
  // loaded machine from turning a slow batch into a missing one.
  cluster = await LocalCluster.start({ n: N, roster: new Map(), roundTimeoutMs: 10_000, logDir: logs.path });
  peers = new PeerClients(cluster.peers);
  await waitForGenerals(peers, 60_000);
  address = peers.address(TARGET);
  rogue = rogueClient(address);
  // Join general 1 to a run as the client would; a minute per round keeps every round open.
  const join = { runId: RUN, generals: N, t: T, roundTimeoutMs: 60_000 };
  const auth = cluster.control?.runAlgorithm({ general: TARGET, ...join, algorithm: 'om', order: undefined });
  await peers.call(TARGET, 'RunAlgorithm', { ...join, algorithm: 'OM', order: 0, auth }, 10_000);
});

after(async () => {
  rogue?.close();
  peers?.close();
  await cluster?.stop();
  logs.remove();
});

const batch = (
  round: number,
  sender: number,
  values: Array<typeof ATTACK | typeof RETREAT>,
  runId = RUN,
  receiver = TARGET,
): SendOrderRequest => {
  const request = { runId, round, sender, receiver, values };
  // The sender's own key, as a general that sends a malformed batch would sign it.
  return sender < N ? signed(request, generalSigner(keyDir(), sender)) : request;
};

function keyDir(): string {
  assert.ok(cluster?.keyDir, 'the cluster runs with authentication, so it has a key directory');
  return cluster.keyDir;
}

function send(request: SendOrderRequest): Promise<CallOutcome> {
  assert.ok(rogue, 'the rogue client is connected');
  return sendOrder(rogue, request);
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

  test('a sender that is not a general (99), so has no key: UNAUTHENTICATED', async () => {
    const outcome = await send(batch(1, 99, [ATTACK]));
    refused(
      outcome,
      grpc.status.UNAUTHENTICATED,
      /general 99 has no public key: PEERS lists generals 0\.\.6/,
    );
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

  test('a batch beyond 16 MiB: refused by the transport with RESOURCE_EXHAUSTED', async () => {
    // The hand encoding, small enough to reach the general: read as 5000 values, refused by it.
    const values = new Array<'ATTACK'>(5000).fill('ATTACK');
    const signature = generalSigner(keyDir(), 2).sign(
      batchBytes({ runId: RUN, round: 1, sender: 2, receiver: TARGET, values }),
    );
    const small = await sendRawSendOrder(address, hugeSendOrder(RUN, 5000, signature));
    refused(small, grpc.status.RESOURCE_EXHAUSTED, /batch of 5000 values is larger than any batch/);
    // The same beyond 16 MiB never reaches the handler (so the general cannot log it).
    const body = hugeSendOrder(RUN, MAX_MESSAGE_BYTES + 1024);
    assert.ok(body.length > 16 * 1024 * 1024);
    const outcome = await sendRawSendOrder(address, body);
    refused(outcome, grpc.status.RESOURCE_EXHAUSTED, /larger than max/i);
  });

  test('a duplicate: the first copy is accepted, the second ALREADY_EXISTS', async () => {
    // Round 1 from lieutenant 2 arrives early (general 1 is still in round 0) and is stored.
    const first = await send(batch(1, 2, [RETREAT]));
    assert.deepEqual(first, { ok: true, accepted: 1 });
    const second = await send(batch(1, 2, [RETREAT]));
    refused(second, grpc.status.ALREADY_EXISTS, /round 1 from general 2 was already received/);
  });

  test('the general keeps serving', async () => {
    const health = healthClient(address);
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
        control: cluster?.control,
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
      ['sender 99', /run=rogue-run round=1 from=99 REJECTED bad-signature: general 99 has no public key/],
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
