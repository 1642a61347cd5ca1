/**
 * Mutual TLS between real general processes: who calls is the identity in the verified certificate
 * of the connection (assumption A2), only the client's certificate may start runs or truncate logs,
 * and nobody without a certificate from the cluster CA gets a word in. Four generals on loopback
 * with an ephemeral CA (as `local` makes it), t=1.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { logicalMessages } from '../../src/core/om/counts.js';
import { LocalCluster } from '../../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import type { PeerCallError } from '../../src/net/errors.js';
import type { GetTraceResponse__Output } from '../../src/net/generated/byzantine/v1/GetTraceResponse.js';
import { PeerClients, type UnaryMethod } from '../../src/net/peers.js';
import { PLAINTEXT, type TransportSecurity } from '../../src/net/transport-security.js';
import { exitCodeOf, type RunResult, summarize } from '../../src/run/result.js';
import { asClient, asGeneral, testKeys } from '../support/keys.js';
import {
  type CallOutcome,
  lines,
  rogueClient,
  rogueClientWith,
  sendOrder,
  tempDir,
  wireBatch,
} from '../support/process.js';

const N = 4;
const T = 1;
/** Generous: with every general alive a run never waits on it; it only absorbs a loaded machine. */
const ROUND_TIMEOUT_MS = 10_000;

function refused(outcome: CallOutcome | undefined, status: keyof typeof grpc.status, details?: RegExp): void {
  assert.ok(outcome, 'the attempt was made');
  assert.equal(outcome.ok, false, `expected ${status}, the batch was accepted`);
  if (outcome.ok) return;
  assert.equal(grpc.status[outcome.code], status, outcome.details);
  if (details !== undefined) assert.match(outcome.details, details);
}

async function rejectsWith(call: Promise<unknown>, status: keyof typeof grpc.status, details: RegExp) {
  await assert.rejects(call, (error: PeerCallError) => {
    assert.equal(grpc.status[error.code ?? -1], status, error.message);
    assert.match(error.message, details);
    return true;
  });
}

/** The commander's order as a lieutenant would receive it, but RETREAT: were it accepted, IC2 would fail. */
const claim = (runId: string, receiver: number) =>
  wireBatch({ runId, round: 0, sender: 0, receiver, values: ['RETREAT'] });

interface Attempts {
  plaintext?: CallOutcome;
  noCertificate?: CallOutcome;
  otherCa?: CallOutcome;
  asGeneral2?: CallOutcome;
  asClient?: CallOutcome;
}

describe('four generals speaking mutual TLS', () => {
  const logs = tempDir('tls');
  let cluster: LocalCluster;
  let peers: PeerClients;
  let keyDir = '';
  /** A second, unrelated cluster CA: its certificates mean nothing to these generals. */
  let stranger: { path: string; remove: () => void };

  before(async () => {
    cluster = await LocalCluster.start({
      n: N,
      roster: new Map(),
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      logDir: logs.path,
    });
    assert.ok(cluster.keyDir, 'local makes an ephemeral CA by default');
    keyDir = cluster.keyDir;
    stranger = await testKeys(N);
    peers = cluster.clients();
    await waitForGenerals(peers, 60_000);
  });

  after(async () => {
    peers?.close();
    await cluster?.stop();
    stranger?.remove();
    logs.remove();
  });

  describe('batches in the commander name from others, during a run', () => {
    const attempts = new Map<number, Attempts>();
    let result: RunResult;
    /** batches_rejected from each general's GetDecision. */
    let rejected = new Map<number, number>();
    let runId = '';

    before(async () => {
      const ours = (lieutenant: number) => peers.address(lieutenant);
      const attempt = async (
        lieutenant: number,
        security: TransportSecurity | grpc.ChannelCredentials,
        wait: boolean,
      ) => {
        const rogue =
          security instanceof grpc.ChannelCredentials
            ? rogueClientWith(ours(lieutenant), security, {
                'grpc.ssl_target_name_override': `general-${lieutenant}`,
              })
            : rogueClient(ours(lieutenant), security, lieutenant);
        try {
          return await sendOrder(rogue, claim(runId, lieutenant), wait);
        } finally {
          rogue.close();
        }
      };
      // The forgeries go to each lieutenant just before the genuine commander issues its order.
      class Forger extends PeerClients {
        override async call<Req, Res>(id: number, method: UnaryMethod, request: Req, deadlineMs: number) {
          if (method === 'RunAlgorithm' && id === 0) {
            runId = (request as { runId: string }).runId;
            const own = asClient(keyDir, N);
            assert.equal(own.mode, 'tls');
            const { caPem } = own.credentials;
            const strangerGeneral = asGeneral(stranger.path, 0, N);
            assert.equal(strangerGeneral.mode, 'tls');
            for (let lieutenant = 1; lieutenant < N; lieutenant++) {
              attempts.set(lieutenant, {
                plaintext: await attempt(lieutenant, PLAINTEXT, false),
                // Trusts the right CA but shows no certificate of its own.
                noCertificate: await attempt(lieutenant, grpc.credentials.createSsl(caPem), false),
                // Shows general 0's certificate from another CA, with its key.
                otherCa: await attempt(
                  lieutenant,
                  { mode: 'tls', credentials: { ...strangerGeneral.credentials, caPem } },
                  false,
                ),
                asGeneral2: await attempt(lieutenant, asGeneral(keyDir, 2, N), true),
                asClient: await attempt(lieutenant, own, true),
              });
            }
          }
          return super.call<Req, Res>(id, method, request, deadlineMs);
        }
      }
      const forger = new Forger(cluster.peers, cluster.security);
      try {
        const facts = await runOnCluster(forger, { n: N, t: T, order: 'ATTACK', roster: new Map() });
        rejected = new Map([...facts.reports].map(([id, report]) => [id, report.batchesRejected]));
        result = summarize(facts);
      } finally {
        forger.close();
      }
    });

    test('no certificate, plaintext or over TLS: refused at the handshake (UNAVAILABLE)', () => {
      assert.equal(attempts.size, N - 1);
      for (const tried of attempts.values()) {
        refused(tried.plaintext, 'UNAVAILABLE');
        refused(tried.noCertificate, 'UNAVAILABLE');
      }
    });

    test('a certificate from another CA: refused at the handshake (UNAVAILABLE)', () => {
      for (const tried of attempts.values()) refused(tried.otherCa, 'UNAVAILABLE');
    });

    test("general 2's or the client's certificate naming the commander as sender: UNAUTHENTICATED", () => {
      for (const tried of attempts.values()) {
        refused(tried.asGeneral2, 'UNAUTHENTICATED', /general 2 cannot send as general 0/);
        refused(tried.asClient, 'UNAUTHENTICATED', /the client cannot send as general 0/);
      }
    });

    test('the run still agrees on the genuine order, every value delivered: exit 0', () => {
      assert.equal(exitCodeOf(result), 0);
      assert.equal(result.ic1, true);
      assert.equal(result.ic2, true);
      assert.equal(result.consensus, 'ATTACK');
      assert.equal(logicalMessages(N, T), 9);
      assert.deepEqual(result.messages, { expected: 9, delivered: 9 });
      for (const g of result.generals) {
        if (g.id === 0) continue;
        assert.equal(g.decision, 'ATTACK', `lieutenant ${g.id}`);
        // Only the two that got past the handshake reach the general, and count.
        assert.equal(rejected.get(g.id), 2, `lieutenant ${g.id} counts two refused batches`);
      }
    });

    test('each lieutenant records both in its trace as rejected: unauthenticated', async () => {
      for (let id = 1; id < N; id++) {
        const trace = await peers.call<object, GetTraceResponse__Output>(id, 'GetTrace', { runId }, 10_000);
        const fromCommander = trace.received.filter((b) => b.sender === 0 && b.round === 0);
        assert.deepEqual(
          fromCommander.map((b) => b.rejected),
          ['unauthenticated', 'unauthenticated', ''],
          `general ${id}: two forgeries refused, then the genuine order`,
        );
      }
    });
  });

  describe('control requests', () => {
    const joinRequest = (runId: string) => ({
      runId,
      generals: N,
      t: T,
      algorithm: 1,
      order: 0,
      roundTimeoutMs: 0,
    });

    test("RunAlgorithm with a general's certificate: PERMISSION_DENIED", async () => {
      const asGeneral1 = new PeerClients(cluster.peers, asGeneral(keyDir, 1, N));
      try {
        await rejectsWith(
          asGeneral1.call(2, 'RunAlgorithm', joinRequest('by-a-general'), 10_000),
          'PERMISSION_DENIED',
          /RunAlgorithm is for the client's certificate; general 1 may not call it/,
        );
        await rejectsWith(
          asGeneral1.call(3, 'ResetLog', {}, 10_000),
          'PERMISSION_DENIED',
          /ResetLog is for the client's certificate; general 1 may not call it/,
        );
      } finally {
        asGeneral1.close();
      }
    });

    test("a general's certificate may still read: GetDecision of a finished run", async () => {
      const asGeneral1 = new PeerClients(cluster.peers, asGeneral(keyDir, 1, N));
      try {
        const facts = await runOnCluster(peers, { n: N, t: T, order: 'RETREAT', roster: new Map() });
        const reply = await asGeneral1.call<object, { decision: number }>(
          2,
          'GetDecision',
          { runId: facts.runId },
          10_000,
        );
        assert.equal(reply.decision, 2, 'RETREAT');
      } finally {
        asGeneral1.close();
      }
    });

    test("ResetLog with the client's certificate: accepted, both logs truncated", async () => {
      const reply = await peers.call<object, { truncated: string[] }>(3, 'ResetLog', {}, 10_000);
      assert.equal(reply.truncated.length, 2);
    });

    test('each refusal is in the general log with its reason', async () => {
      peers.close();
      await cluster.stop();
      const general2 = readFileSync(join(logs.path, 'general_2_intermediate.log'), 'utf8');
      assert.equal(
        lines(general2).filter((line) =>
          / RunAlgorithm REFUSED not-the-client: RunAlgorithm is for the client's certificate; general 1/.test(
            line,
          ),
        ).length,
        1,
      );
      const general1 = readFileSync(join(logs.path, 'general_1_intermediate.log'), 'utf8');
      assert.match(general1, / round=0 from=0 REJECTED unauthenticated: general 2 cannot send as general 0/);
      assert.match(general1, / round=0 from=0 REJECTED unauthenticated: the client cannot send as general 0/);
      const events = lines(readFileSync(join(logs.path, 'general_2_events.jsonl'), 'utf8')).map(
        (line) => JSON.parse(line) as { type: string; method?: string; reason?: string },
      );
      assert.ok(events.some((e) => e.type === 'control-refused' && e.reason === 'not-the-client'));
    });
  });
});
