/**
 * Authentication between real general processes (issue 4): the receiver knows the sender (A2), and
 * only the client can start a run or truncate the logs. Four generals on loopback with ephemeral
 * keys (as `local` makes them), t=1.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { CONTROL_WINDOW_MS } from '../../src/auth/control.js';
import { logicalMessages } from '../../src/core/om/counts.js';
import { LocalCluster } from '../../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import type { PeerCallError } from '../../src/net/errors.js';
import type { GetTraceResponse__Output } from '../../src/net/generated/byzantine/v1/GetTraceResponse.js';
import { PeerClients } from '../../src/net/peers.js';
import { WireOrder } from '../../src/net/proto.js';
import { exitCodeOf, type RunResult, summarize } from '../../src/run/result.js';
import {
  clientKeyFile,
  controlSigner,
  generalKeyFile,
  generalSigner,
  keyEnv,
  signed,
  testKeys,
} from '../support/keys.js';
import {
  type CallOutcome,
  type CliResult,
  jsonOf,
  lines,
  rogueClient,
  runCli,
  sendOrder,
  startGeneral,
  stopEverything,
  tempDir,
} from '../support/process.js';

const N = 4;
const T = 1;
const { RETREAT } = WireOrder;
/** Generous: with every general alive a run never waits on it; it only absorbs a loaded machine. */
const ROUND_TIMEOUT_MS = 10_000;

function refusedWith(outcome: CallOutcome, details: RegExp): void {
  assert.equal(outcome.ok, false, 'expected UNAUTHENTICATED, the batch was accepted');
  if (outcome.ok) return;
  assert.equal(grpc.status[outcome.code], 'UNAUTHENTICATED', outcome.details);
  assert.match(outcome.details, details);
}

async function rejectsUnauthenticated(call: Promise<unknown>, details: RegExp): Promise<void> {
  await assert.rejects(call, (error: PeerCallError) => {
    assert.equal(grpc.status[error.code ?? -1], 'UNAUTHENTICATED', error.message);
    assert.match(error.message, details);
    return true;
  });
}

describe('four generals with keys', () => {
  const logs = tempDir('auth');
  let cluster: LocalCluster;
  let peers: PeerClients;
  let keyDir = '';

  before(async () => {
    cluster = await LocalCluster.start({
      n: N,
      roster: new Map(),
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      logDir: logs.path,
    });
    assert.ok(cluster.keyDir, 'local makes ephemeral keys by default');
    keyDir = cluster.keyDir;
    peers = new PeerClients(cluster.peers);
    await waitForGenerals(peers, 60_000);
  });

  after(async () => {
    peers?.close();
    await cluster?.stop();
    logs.remove();
  });

  describe('a batch claiming to come from the commander', () => {
    /** The forgeries, sent to each lieutenant just before the genuine commander issues its order. */
    const forged = new Map<number, { unsigned: CallOutcome; wrongKey: CallOutcome }>();
    let result: RunResult;
    /** batches_rejected from each general's GetDecision. */
    let rejected = new Map<number, number>();
    let runId = '';

    before(async () => {
      // Were either accepted, the lieutenant would hold RETREAT as the commander's order, refuse the
      // genuine ATTACK as a duplicate, and IC2 would fail.
      class Forger extends PeerClients {
        override async call<Req, Res>(
          id: number,
          method: 'RunAlgorithm' | 'SendOrder' | 'GetDecision' | 'ResetLog' | 'GetTrace',
          request: Req,
          deadlineMs: number,
        ): Promise<Res> {
          if (method === 'RunAlgorithm' && id === 0) {
            runId = (request as { runId: string }).runId;
            for (let lieutenant = 1; lieutenant < N; lieutenant++) {
              const rogue = rogueClient(peers.address(lieutenant));
              try {
                const claim = { runId, round: 0, sender: 0, receiver: lieutenant, values: [RETREAT] };
                forged.set(lieutenant, {
                  unsigned: await sendOrder(rogue, claim),
                  // General 2 signs a batch in the commander's name: its key is not the commander's.
                  wrongKey: await sendOrder(rogue, signed(claim, generalSigner(keyDir, 2))),
                });
              } finally {
                rogue.close();
              }
            }
          }
          return super.call(id, method, request, deadlineMs);
        }
      }
      const forger = new Forger(cluster.peers);
      try {
        const facts = await runOnCluster(forger, {
          n: N,
          t: T,
          order: 'ATTACK',
          roster: new Map(),
          control: cluster.control,
        });
        rejected = new Map([...facts.reports].map(([id, report]) => [id, report.batchesRejected]));
        result = summarize(facts);
      } finally {
        forger.close();
      }
    });

    test('is refused with UNAUTHENTICATED, unsigned or signed with another general key', () => {
      assert.equal(forged.size, N - 1);
      for (const [lieutenant, { unsigned, wrongKey }] of forged) {
        refusedWith(unsigned, /batch is not signed; general 0's signature is required/);
        refusedWith(wrongKey, /signature does not verify under general 0's public key/);
        assert.ok(lieutenant > 0);
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
        assert.equal(rejected.get(g.id), 2, `lieutenant ${g.id} counts both forgeries as rejected`);
      }
    });

    test('each lieutenant records the forgeries in its trace as rejected: bad-signature', async () => {
      for (let id = 1; id < N; id++) {
        const trace = await peers.call<object, GetTraceResponse__Output>(id, 'GetTrace', { runId }, 10_000);
        const fromCommander = trace.received.filter((b) => b.sender === 0 && b.round === 0);
        assert.deepEqual(
          fromCommander.map((b) => b.rejected),
          ['bad-signature', 'bad-signature', ''],
          `general ${id}: two forgeries refused, then the genuine order`,
        );
      }
    });
  });

  describe('control requests', () => {
    const joinFields = (runId: string) => ({ runId, generals: N, t: T, roundTimeoutMs: ROUND_TIMEOUT_MS });
    const content = (general: number, runId: string) => ({
      general,
      ...joinFields(runId),
      algorithm: 'om' as const,
      order: undefined,
    });
    const runAlgorithm = (general: number, runId: string, auth: unknown) =>
      peers.call(
        general,
        'RunAlgorithm',
        { ...joinFields(runId), algorithm: 'OM', order: 0, ...(auth ? { auth } : {}) },
        10_000,
      );

    test('unsigned RunAlgorithm: UNAUTHENTICATED, not signed', async () => {
      await rejectsUnauthenticated(
        runAlgorithm(1, 'unsigned', undefined),
        /refused RunAlgorithm: not signed/,
      );
    });

    test("RunAlgorithm signed by a general's key instead of the client's: UNAUTHENTICATED", async () => {
      const forger = controlSigner(generalKeyFile(keyDir, 1));
      await rejectsUnauthenticated(
        runAlgorithm(1, 'forged', forger.runAlgorithm(content(1, 'forged'))),
        /refused RunAlgorithm: signature does not verify under the client public key/,
      );
    });

    test('a request signed for general 1, sent to general 2: UNAUTHENTICATED', async () => {
      const auth = controlSigner(clientKeyFile(keyDir)).runAlgorithm(content(1, 'elsewhere'));
      await rejectsUnauthenticated(runAlgorithm(2, 'elsewhere', auth), /signature does not verify/);
    });

    test('the same signed RunAlgorithm twice: the first joins, the replay is refused', async () => {
      const auth = controlSigner(clientKeyFile(keyDir)).runAlgorithm(content(1, 'replayed'));
      await runAlgorithm(1, 'replayed', auth);
      await rejectsUnauthenticated(runAlgorithm(1, 'replayed', auth), /refused RunAlgorithm: replayed/);
    });

    test('a RunAlgorithm stamped beyond the acceptance window: UNAUTHENTICATED, stale', async () => {
      const late = controlSigner(clientKeyFile(keyDir), () => Date.now() - CONTROL_WINDOW_MS - 60_000);
      await rejectsUnauthenticated(
        runAlgorithm(1, 'stale', late.runAlgorithm(content(1, 'stale'))),
        /refused RunAlgorithm: timestamp is \d+ s behind this general's clock; requests are accepted within 120 s/,
      );
    });

    test('ResetLog: unsigned refused, signed by the client accepted', async () => {
      await rejectsUnauthenticated(peers.call(3, 'ResetLog', {}, 10_000), /refused ResetLog: not signed/);
      const auth = controlSigner(clientKeyFile(keyDir)).resetLog(3);
      const reply = await peers.call<object, { truncated: string[] }>(3, 'ResetLog', { auth }, 10_000);
      assert.equal(reply.truncated.length, 2);
    });

    test('each refusal is in the general log with its reason', async () => {
      peers.close();
      await cluster.stop();
      const text = readFileSync(join(logs.path, 'general_1_intermediate.log'), 'utf8');
      const refused = lines(text).filter((line) => line.includes(' REFUSED '));
      for (const reason of ['missing-auth', 'bad-signature', 'replayed', 'stale']) {
        assert.equal(
          refused.filter((line) => line.includes(`RunAlgorithm REFUSED ${reason}: `)).length,
          1,
          `one ${reason} line in:\n${refused.join('\n')}`,
        );
      }
      const events = lines(readFileSync(join(logs.path, 'general_2_events.jsonl'), 'utf8')).map(
        (line) => JSON.parse(line) as { type: string; method?: string; reason?: string },
      );
      assert.ok(events.some((e) => e.type === 'control-refused' && e.reason === 'bad-signature'));
      // A forged batch is logged as a rejected batch, with its code.
      assert.match(text, / round=0 from=0 REJECTED bad-signature: batch is not signed/);
    });
  });
});

describe('the client with the wrong key or none', () => {
  const logs = tempDir('auth-client');
  let cluster: LocalCluster;
  let peerList = '';

  before(async () => {
    cluster = await LocalCluster.start({
      n: N,
      roster: new Map(),
      roundTimeoutMs: ROUND_TIMEOUT_MS,
      logDir: logs.path,
    });
    peerList = cluster.peers.map((p) => `${p.host}:${p.port}`).join(',');
    const peers = new PeerClients(cluster.peers);
    try {
      await waitForGenerals(peers, 60_000);
    } finally {
      peers.close();
    }
  });

  after(async () => {
    await cluster?.stop();
    logs.remove();
  });

  const client = (...flags: string[]) =>
    runCli(['client', '--order', 'ATTACK', '--t', '1', '--peers', peerList, ...flags], { timeoutMs: 60_000 });

  test("a general's key as --key: exit 3, naming each general that refused and why", async () => {
    assert.ok(cluster.keyDir);
    const run = await client('--key', generalKeyFile(cluster.keyDir, 1));
    assert.equal(run.code, 3, run.stderr);
    for (let id = 0; id < N; id++) {
      assert.match(
        run.stderr,
        new RegExp(
          `general ${id} \\(refused RunAlgorithm: signature does not verify under the client public key; is --key \\(CLIENT_KEY_FILE\\) the client key`,
        ),
      );
    }
  });

  test('--auth off against generals that authenticate: exit 3, saying to give --key', async () => {
    const run = await client('--auth', 'off');
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      /general 0 \(refused RunAlgorithm: not signed: .*give the client key with --key/,
    );
  });

  test('the right key: exit 0', async () => {
    assert.ok(cluster.keyDir);
    const run = await client('--key', clientKeyFile(cluster.keyDir), '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(jsonOf<RunResult>(run).consensus, 'ATTACK');
  });

  test('a key file that does not exist: exit 2, naming it', async () => {
    const run = await client('--key', join(logs.path, 'nowhere.pem'));
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--key \(or CLIENT_KEY_FILE\): cannot read private key .*nowhere\.pem: ENOENT/);
  });
});

describe('a general without keys', () => {
  const logs = tempDir('auth-general');
  const keys = testKeys(N);
  const markers: string[] = [];
  const base = (logDir: string) => ({
    ID: '1',
    PEERS: '127.0.0.1:1,127.0.0.1:2,127.0.0.1:3,127.0.0.1:4',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_DIR: logDir,
  });

  after(async () => {
    await stopEverything(markers);
    logs.remove();
    keys.remove();
  });

  test('AUTH unset and no key variables: exit 2, naming PRIVATE_KEY_FILE and PUBLIC_KEYS_DIR', async () => {
    const run: CliResult = await runCli(['general'], { env: base(logs.path), timeoutMs: 60_000 });
    markers.push(run.marker);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /PRIVATE_KEY_FILE: is required: this general's Ed25519 private key/);
    assert.match(run.stderr, /PUBLIC_KEYS_DIR: is required: /);
    assert.match(run.stderr, /or set AUTH=off/);
  });

  test("another general's private key: exit 2, saying whose key it is not", async () => {
    const env = {
      ...base(logs.path),
      ...keyEnv(keys.path, 1),
      PRIVATE_KEY_FILE: generalKeyFile(keys.path, 2),
    };
    const run = await runCli(['general'], { env, timeoutMs: 60_000 });
    markers.push(run.marker);
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /general_2\.pem is not general 1's key: its public half differs from .*general_1\.pem/,
    );
  });

  test('AUTH=off: it starts, warns on stderr, and its log says authentication is off', async () => {
    const general = await startGeneral({ ...base(logs.path), AUTH: 'off' });
    markers.push(general.marker);
    // It says it listens once SIGTERM stops it gracefully, so it may be signalled at once.
    general.child.kill('SIGTERM');
    assert.deepEqual(await general.exited, { code: 0, signal: null }, general.output());
    assert.match(general.output(), /WARNING: AUTH=off: nothing is verified/);
    const text = readFileSync(join(logs.path, 'general_1_intermediate.log'), 'utf8');
    assert.match(text, /general 1: WARNING authentication is off \(AUTH=off\)/);
    const events = lines(readFileSync(join(logs.path, 'general_1_events.jsonl'), 'utf8')).map(
      (line) => JSON.parse(line) as { type: string; auth?: string },
    );
    assert.ok(events.some((e) => e.type === 'auth-off'));
    assert.ok(events.some((e) => e.type === 'notice' && e.auth === 'off'));
  });
});

describe('local --auth off, the seed example', () => {
  const logs = tempDir('auth-off-seed');
  const tmp = tempDir('auth-off-tmp');
  let run: CliResult;

  before(async () => {
    run = await runCli(
      [
        'local',
        '--generals',
        '10',
        '--traitors',
        '3,4,7',
        '--order',
        'ATTACK',
        '--t',
        '3',
        '--auth',
        'off',
        '--round-timeout',
        String(ROUND_TIMEOUT_MS),
        '--json',
        '--log-dir',
        logs.path,
      ],
      { timeoutMs: 120_000, env: { TMPDIR: tmp.path } },
    );
  });

  after(async () => {
    await stopEverything([run?.marker ?? '']);
    logs.remove();
    tmp.remove();
  });

  test('agrees, exit 0, every value delivered', () => {
    assert.equal(run.code, 0, run.stderr);
    const result = jsonOf<RunResult>(run);
    assert.equal(result.ic1, true);
    assert.equal(result.ic2, true);
    assert.equal(result.consensus, 'ATTACK');
    assert.deepEqual(result.messages, { expected: 3609, delivered: 3609 });
  });

  test('makes no keys, and every general logs that authentication is off', () => {
    assert.deepEqual(
      readdirSync(tmp.path).filter((name) => name.startsWith('byzantine-keys-')),
      [],
    );
    for (let id = 0; id < 10; id++) {
      const text = readFileSync(join(logs.path, `general_${id}_intermediate.log`), 'utf8');
      assert.match(text, /WARNING authentication is off/, `general ${id}`);
    }
  });
});
