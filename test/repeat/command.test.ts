import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseFlags } from '../../src/commands/flags.js';
import { RUN_FLAGS } from '../../src/commands/run-flags.js';
import { parseRunConfig } from '../../src/config/config.js';
import { LocalCluster } from '../../src/local/cluster.js';
import { waitForGenerals } from '../../src/net/cluster-client.js';
import type { RepeatSummary } from '../../src/run/repeat.js';
import { simulate } from '../../src/sim/simulate.js';
import { certsDirOf, clientKeyFile } from '../support/keys.js';

const CLI = ['--import', 'tsx', 'src/cli.ts'];
const env = { ...process.env, NODE_NO_WARNINGS: '1' };

function byzantine(...args: string[]) {
  return spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env });
}

/** The same command, without blocking this process (a cluster in it must keep answering). */
function byzantineAsync(
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A replay command, run in process: its IC1 and IC2. */
function replayInProcess(command: string): { ic1: boolean; ic2: boolean } {
  const [, sub, ...argv] = command.split(' ');
  assert.ok(sub === 'simulate' || sub === 'local', command);
  const flags = parseFlags(argv, {
    ...RUN_FLAGS,
    'round-timeout': { type: 'string', help: '' },
  });
  const config = parseRunConfig(flags);
  const result = simulate({ n: config.n, t: config.t, order: config.order, roster: config.roster });
  return { ic1: result.ic1, ic2: result.ic2 };
}

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** Twelve drawn runs of n=6, t=2 (n = 3t, so some fail), from seed 7: run twice to compare. */
const SIMULATE_12 = [
  'simulate',
  '--generals',
  '6',
  '--t',
  '2',
  '--allow-unsafe',
  '--repeat',
  '12',
  '--seed',
  '7',
  '--json',
] as const;

describe('--repeat K --seed S', () => {
  test('simulate: K runs, the counts add up, and each replay command reproduces its run', () => {
    const run = byzantine(...SIMULATE_12);
    const summary = JSON.parse(run.stdout) as RepeatSummary;
    assert.equal(summary.repeat, 12);
    assert.equal(summary.seed, 7);
    assert.equal(summary.runs.length, 12);
    assert.equal(summary.agreed + summary.failed, 12);
    assert.ok(summary.failed > 0, 'n = 3t: some drawn run must fail');
    assert.equal(run.status, 1);
    let agreed = 0;
    for (const r of summary.runs) {
      const replayed = replayInProcess(r.replay);
      assert.deepEqual(replayed, { ic1: r.ic1, ic2: r.ic2 }, r.replay);
      if (replayed.ic1 && replayed.ic2) agreed++;
    }
    assert.equal(summary.agreed, agreed);
    // The same seed gives the same runs.
    const again = JSON.parse(byzantine(...SIMULATE_12).stdout) as RepeatSummary;
    assert.deepEqual(again.runs, summary.runs);
  });

  test('simulate with n > 3t: every drawn run agrees, exit 0; the human summary names the seed', () => {
    const run = byzantine('simulate', '--generals', '7', '--t', '2', '--repeat', '20', '--seed', '99');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /20 runs from seed 99: 20 agreed/);
    assert.match(run.stderr, /--repeat 20 --seed 99/);
  });

  test('bad repeat flags are refused with every other problem, exit 2', () => {
    const run = byzantine(
      'simulate',
      '--generals',
      '7',
      '--repeat',
      '0',
      '--traitors',
      '3:flip',
      '--order',
      'UP',
    );
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--repeat/);
    assert.match(run.stderr, /--traitors: with --repeat, give traitor ids only/);
    assert.match(run.stderr, /--order/);
  });

  test('local: real processes relaunched per run agree with the simulator on every run', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'byzantine-repeat-'));
    dirs.push(logDir);
    const run = await byzantineAsync(
      'local',
      '--generals',
      '4',
      '--t',
      '1',
      '--repeat',
      '2',
      '--seed',
      '11',
      '--round-timeout',
      '3000',
      '--log-dir',
      logDir,
      '--json',
    );
    const summary = JSON.parse(run.stdout) as RepeatSummary;
    assert.equal(summary.runs.length, 2, run.stderr);
    for (const r of summary.runs) {
      assert.match(r.replay, /^byzantine local --generals 4 --t 1 /);
      assert.deepEqual(replayInProcess(r.replay), { ic1: r.ic1, ic2: r.ic2 }, r.replay);
    }
    assert.equal(run.status, summary.failed === 0 ? 0 : 1);
  });

  test('client: K runs on one running cluster, the order drawn from the seed', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'byzantine-repeat-'));
    dirs.push(logDir);
    const roster = new Map([[2, { kind: 'flip' as const }]]);
    const cluster = await LocalCluster.start({ n: 4, roster, roundTimeoutMs: 3000, logDir });
    const peers = cluster.clients();
    try {
      await waitForGenerals(peers, 60_000);
      const peerList = cluster.peers.map((p) => `${p.host}:${p.port}`).join(',');
      // The client speaks mutual TLS with the cluster's ephemeral client certificate.
      assert.ok(cluster.keyDir, 'the cluster runs with mutual TLS');
      const key = clientKeyFile(cluster.keyDir);
      const certs = certsDirOf(cluster.keyDir);
      const repeatRuns = () =>
        byzantineAsync(
          'client',
          '--t',
          '1',
          '--peers',
          peerList,
          '--traitors',
          '2:flip',
          '--key',
          key,
          '--certs',
          certs,
          '--repeat',
          '4',
          '--seed',
          '3',
          '--json',
        );
      const run = await repeatRuns();
      assert.equal(run.status, 0, run.stderr);
      const summary = JSON.parse(run.stdout) as RepeatSummary;
      assert.equal(summary.agreed, 4);
      for (const r of summary.runs) {
        assert.equal(r.traitors, '2:flip');
        assert.equal(r.consensus, r.order, 'a loyal commander: the loyal lieutenants follow its order');
        assert.match(
          r.replay,
          new RegExp(`^byzantine client --order ${r.order} --t 1 --peers ${peerList} --traitors 2:flip`),
        );
      }
      // The seed decides the orders: the same seed, the same orders.
      const again = JSON.parse((await repeatRuns()).stdout) as RepeatSummary;
      assert.deepEqual(
        again.runs.map((r) => r.order),
        summary.runs.map((r) => r.order),
      );
    } finally {
      peers.close();
      await cluster.stop();
    }
  });
});
