/**
 * The King algorithm between real general processes over gRPC (`local --algorithm king`): a silent
 * king of phase 1 (general 0, the commander, sends nothing at all) and a two-faced commander; and
 * `client --algorithm king` on running generals. Every number is derived by hand in the comments.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalCluster } from '../../src/local/cluster.js';
import { intermediateLogPath } from '../../src/log/general-log.js';
import { waitForGenerals } from '../../src/net/cluster-client.js';
import type { PeerClients } from '../../src/net/peers.js';
import { traceFromCluster } from '../../src/net/trace-client.js';
import { readEventLogs, traceFromLogs } from '../../src/report/from-logs.js';
import { buildReport } from '../../src/report/model.js';
import type { RunResult } from '../../src/run/result.js';
import { certsDirOf, clientKeyFile } from '../support/keys.js';
import {
  CLI,
  type CliResult,
  cleanEnv,
  jsonOf,
  lines,
  processesMarked,
  runCli,
  stopEverything,
  tempDir,
} from '../support/process.js';

const markers: string[] = [];
after(async () => {
  await stopEverything(markers);
});

/**
 * n=7, t=2, order ATTACK, general 0 silent: no order arrives, so every lieutenant starts from
 * RETREAT; each counts c(RETREAT) = 6 >= n-t = 5 (its own and the five other lieutenants'),
 * proposes RETREAT, counts P(RETREAT) = 6 > t and 6 >= n-t: it keeps RETREAT whatever the kings do.
 * Messages: 6 + 3 x (42 + 42 + 6) = 276 in a full run; 0 withholds its 6 orders, 6 + 6 in each of
 * 3 phases and its 6 king's values in phase 1: 48, so 228 arrive. Each lieutenant misses the order,
 * 0's value and propose message in 3 phases and 0's king's value: 8.
 */
describe('local --algorithm king, n=7 t=2, a silent king of phase 1 (the commander)', () => {
  const logs = tempDir('king-silent');
  const reportFile = join(logs.path, 'king.html');
  let run: CliResult;
  let result: RunResult;

  before(async () => {
    run = await runCli(
      [
        'local',
        '--algorithm',
        'king',
        '--generals',
        '7',
        '--t',
        '2',
        '--traitors',
        '0:silent',
        '--order',
        'ATTACK',
        // Rounds 0-5, 7 and 8 wait out the deadline for 0; generous, so a loaded machine loses no loyal message.
        '--round-timeout',
        '1500',
        '--json',
        '--log-dir',
        logs.path,
        '--report',
        reportFile,
      ],
      { timeoutMs: 120_000 },
    );
    markers.push(run.marker);
    result = jsonOf<RunResult>(run);
  });

  after(() => logs.remove());

  test('the loyal lieutenants agree on RETREAT from round 0 to the end: exit 0', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      [result.algorithm, result.ic1, result.ic2, result.consensus],
      ['king', true, true, 'RETREAT'],
    );
    for (const g of result.generals.filter((x) => x.id !== 0)) {
      assert.equal(g.decision, 'RETREAT', `lieutenant ${g.id}`);
      assert.equal(g.xByPhase, 'RRRR', `lieutenant ${g.id}`);
      assert.deepEqual(
        [g.lastPhase?.values, g.lastPhase?.proposals],
        [
          { attack: 0, retreat: 6 },
          { attack: 0, retreat: 6 },
        ],
      );
    }
    assert.deepEqual(
      result.phases?.map((p) => [p.phase, p.king]),
      [
        [1, 0],
        [2, 1],
        [3, 2],
      ],
    );
  });

  test('exact counts: 228 of 276 messages, in 228 RPCs; each lieutenant misses 8', () => {
    assert.deepEqual(result.messages, { expected: 276, delivered: 228 });
    assert.equal(result.rpcs, 228);
    for (const g of result.generals) assert.equal(g.valuesMissing, g.id === 0 ? 0 : 8, `general ${g.id}`);
  });

  test("a lieutenant's log: no order, the king's round closed on its deadline, the king not needed", () => {
    const text = lines(readFileSync(intermediateLogPath(logs.path, 3), 'utf8'));
    const at = (round: number) => text.filter((l) => l.includes(`run=${result.runId} round=${round} `));
    assert.ok(
      at(0).some((l) => l.endsWith('order: nothing arrived, read as RETREAT -> x=RETREAT')),
      at(0).join('\n'),
    );
    assert.ok(
      at(3).some((l) => /closed: 0\/1 batches, deadline passed, missing from 0 /.test(l)),
      at(3).join('\n'),
    );
    assert.ok(
      at(3).some((l) =>
        l.endsWith('phase=1 king: king 0 sent nothing (read as RETREAT); P(x)=6 >= n-t=5: keeps x=RETREAT'),
      ),
      at(3).join('\n'),
    );
    assert.ok(
      at(1).some((l) => l.endsWith('phase=1 value: c(ATTACK)=0 c(RETREAT)=6 (n-t=5) -> propose RETREAT')),
    );
    assert.ok(
      at(2).some((l) => l.endsWith('phase=1 propose: P(ATTACK)=0 P(RETREAT)=6; P(RETREAT) > t=2: x=RETREAT')),
    );
  });

  test('--report drew the run, and the logs read back to the same phases', () => {
    assert.ok(existsSync(reportFile), run.stderr);
    assert.match(readFileSync(reportFile, 'utf8'), /<title>King\(2\) among 7 generals, order ATTACK/);
    const model = buildReport(traceFromLogs(readEventLogs(logs.path), result.runId));
    assert.deepEqual(model.warnings, []);
    assert.equal(model.counts.batches, 228);
    assert.deepEqual(
      model.king?.phases.map((p) => p.x),
      ['RRRRRRR', 'RRRRRRR', 'RRRRRRR'],
      'the silent commander keeps its own x too: its c(RETREAT) = 7 turns it',
    );
  });

  test('no general process outlives the launcher', () => {
    assert.deepEqual(processesMarked(run.marker), []);
  });
});

/**
 * n=4, t=1, order ATTACK, the commander (king of phase 1) equivocates: it tells lieutenant 2 (even)
 * the opposite of everything. Round 0: x = A, A, R, A. In each phase 2 counts c = 2/2 (no proposal)
 * and P = 2/1, so x = A by P(A) > t, but P(x) = 2 < n-t = 3 leaves it to the king: the lying king
 * tells it RETREAT in phase 1, the loyal king 1 ATTACK in phase 2. The others keep A (P(A) = 3).
 */
describe('local --algorithm king, n=4 t=1, a two-faced commander', () => {
  const logs = tempDir('king-two-faced');
  let run: CliResult;

  before(async () => {
    run = await runCli(
      [
        'local',
        '--algorithm',
        'king',
        '--generals',
        '4',
        '--t',
        '1',
        '--traitors',
        '0:equivocate',
        // Nobody is silent, so no round waits on this; it only keeps a loaded machine from losing messages.
        '--round-timeout',
        '10000',
        '--log-dir',
        logs.path,
      ],
      { timeoutMs: 120_000 },
    );
    markers.push(run.marker);
  });

  after(() => logs.remove());

  test('the table shows every x by phase: 2 takes the lying king, then the loyal one', () => {
    assert.equal(run.code, 0, run.stderr);
    const text = lines(run.stdout);
    const row = (id: number) => text.find((l) => l.startsWith(`${id}  `))?.split(/\s{2,}/);
    assert.deepEqual(row(0), [
      '0',
      'commander',
      'equivocate',
      '(order ATTACK)',
      'A|AA',
      '0',
      '3/1',
      '3/0',
      'kept A',
      '0',
      '6',
    ]);
    assert.deepEqual(row(1), [
      '1',
      'lieutenant',
      'loyal',
      'ATTACK',
      'A|AA',
      '0',
      '3/1',
      '3/0',
      'is the king',
      '0',
      '0',
    ]);
    assert.deepEqual(row(2), [
      '2',
      'lieutenant',
      'loyal',
      'ATTACK',
      'R|RA',
      '1',
      '2/2',
      '2/1',
      "took king's A",
      '0',
      '0',
    ]);
    assert.deepEqual(row(3), [
      '3',
      'lieutenant',
      'loyal',
      'ATTACK',
      'A|AA',
      '0',
      '3/1',
      '3/0',
      'kept A',
      '0',
      '0',
    ]);
    assert.ok(text.includes('Final consensus reached: ATTACK'));
    assert.match(
      text.at(-1) ?? '',
      /^57 of 57 messages delivered \(propose\(none\) included\) in 57 batches; /,
    );
  });

  test("lieutenant 2's log shows each king's value taken", () => {
    const text = readFileSync(intermediateLogPath(logs.path, 2), 'utf8');
    assert.match(
      text,
      /round=3 phase=1 king: king 0 sent RETREAT; P\(x\)=2 < n-t=3: x=RETREAT \(the king's\)/,
    );
    assert.match(text, /round=6 phase=2 king: king 1 sent ATTACK; P\(x\)=2 < n-t=3: x=ATTACK \(the king's\)/);
    // The commander proposes ATTACK and tells 2 RETREAT; 2 itself proposes none (c = 2/2), to nobody's count.
    assert.match(text, /round=2 from=0 propose=RETREAT/);
    assert.match(text, /round=1 phase=1 value: c\(ATTACK\)=2 c\(RETREAT\)=2 \(n-t=3\) -> propose\(none\)/);
    assert.match(text, /DECISION ATTACK/);
  });
});

/** `byzantine client` as a child, without blocking this process: the cluster in it must keep answering. */
function client(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'client', ...args], { env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `client --algorithm king` on running generals, n=4, t=1, order RETREAT, lieutenant 3 flips: every x
 * starts RETREAT; 0, 1, 2 count c = 1/3 and P = 1/3 (3's flipped ATTACK), 3 counts 0/4 and proposes
 * RETREAT, sent as ATTACK. P(x) = 3 >= n-t: nobody needs a king. 3 lies in 6 messages a phase: 12.
 */
describe('client --algorithm king on running generals', () => {
  const logs = tempDir('king-client');
  let cluster: LocalCluster;
  let peers: PeerClients;

  before(async () => {
    cluster = await LocalCluster.start({
      n: 4,
      roster: new Map([[3, { kind: 'flip' }]]),
      roundTimeoutMs: 10_000,
      logDir: logs.path,
    });
    peers = cluster.clients();
    await waitForGenerals(peers, 60_000);
  });

  after(async () => {
    peers?.close();
    await cluster?.stop();
    logs.remove();
  });

  test('prints the phases it read from GetDecision, and GetTrace gives a report with the same ones', async () => {
    assert.ok(cluster.keyDir, 'the cluster runs with authentication');
    const peerList = cluster.peers.map((p) => `${p.host}:${p.port}`).join(',');
    const run = await client([
      '--algorithm',
      'king',
      '--order',
      'RETREAT',
      '--t',
      '1',
      '--peers',
      peerList,
      '--traitors',
      '3:flip',
      '--key',
      clientKeyFile(cluster.keyDir),
      '--certs',
      certsDirOf(cluster.keyDir),
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as RunResult;
    assert.deepEqual(
      [result.algorithm, result.consensus, result.ic1, result.ic2],
      ['king', 'RETREAT', true, true],
    );
    assert.deepEqual(result.phases, [
      { phase: 1, king: 0, x: ['RETREAT', 'RETREAT', 'RETREAT', 'RETREAT'] },
      { phase: 2, king: 1, x: ['RETREAT', 'RETREAT', 'RETREAT', 'RETREAT'] },
    ]);
    assert.deepEqual(
      result.generals.map((g) => [g.xByPhase, g.lastPhase?.values, g.lastPhase?.proposals, g.lies]),
      [
        ['RRR', { attack: 1, retreat: 3 }, { attack: 1, retreat: 3 }, 0],
        ['RRR', { attack: 1, retreat: 3 }, { attack: 1, retreat: 3 }, 0],
        ['RRR', { attack: 1, retreat: 3 }, { attack: 1, retreat: 3 }, 0],
        ['RRR', { attack: 0, retreat: 4 }, { attack: 0, retreat: 4 }, 12],
      ],
    );
    assert.deepEqual([result.messages, result.rpcs], [{ expected: 57, delivered: 57 }, 57]);

    const model = buildReport(await traceFromCluster(peers, { ...result, algorithm: 'king' }));
    assert.deepEqual(model.warnings, []);
    assert.deepEqual(
      model.king?.phases.map((p) => p.x),
      ['RRRR', 'RRRR'],
    );
    assert.equal(model.counts.lies, 12);
  });
});
