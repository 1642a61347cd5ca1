import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalCluster } from '../../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import type { PeerClients } from '../../src/net/peers.js';
import { traceFromCluster } from '../../src/net/trace-client.js';
import { readEventLogs, traceFromLogs } from '../../src/report/from-logs.js';
import { buildReport, type ReportModel } from '../../src/report/model.js';
import { certsDirOf, clientKeyFile } from '../support/keys.js';
import { runCli, SEED, seedRoster, simulatedTrace } from './support.js';

/** What must not depend on where the trace came from: every batch, lie, tree, count and the verdict. */
function assertSameRun(actual: ReportModel, expected: ReportModel): void {
  assert.deepEqual(actual.arrows, expected.arrows);
  assert.deepEqual(actual.withheld, expected.withheld);
  assert.deepEqual(actual.trees, expected.trees);
  assert.deepEqual(actual.counts, expected.counts);
  assert.deepEqual(actual.verdict, expected.verdict);
  assert.deepEqual(
    actual.roster.map((r) => [r.id, r.strategy, r.decision, r.resolved, r.liesTold]),
    expected.roster.map((r) => [r.id, r.strategy, r.decision, r.resolved, r.liesTold]),
  );
  assert.deepEqual(actual.warnings, []);
}

describe('the seed example on real general processes', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'byz-report-'));
  const expected = buildReport(simulatedTrace(SEED.n, SEED.t, SEED.order, seedRoster()).trace);
  let cluster: LocalCluster;
  let peers: PeerClients;

  before(async () => {
    cluster = await LocalCluster.start({ n: SEED.n, roster: seedRoster(), roundTimeoutMs: 5000, logDir });
    peers = cluster.clients();
    await waitForGenerals(peers, 60_000);
  });

  after(async () => {
    peers?.close();
    await cluster?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('GetTrace from every general gives the same model as the in-memory run: 225 batches, 3,609 values', async () => {
    const facts = await runOnCluster(peers, {
      n: SEED.n,
      t: SEED.t,
      order: SEED.order,
      roster: seedRoster(),
    });
    const trace = await traceFromCluster(peers, facts);
    assert.equal(trace.generals.size, SEED.n);
    assert.deepEqual([...trace.missing], []);
    const model = buildReport(trace);
    assert.equal(model.counts.batches, 225);
    assert.equal(model.counts.values, 3609);
    assert.equal(model.counts.lies, 550);
    assertSameRun(model, expected);
    // Timings come only from real generals: one per lieutenant and round.
    for (const round of model.rounds) assert.ok(round.elapsedMs !== null && round.elapsedMs >= 0);
  });

  it("client --report writes the report from the generals' traces, even though it cannot read their logs", async () => {
    const file = join(logDir, '..', `${logDir.split('/').pop()}-client.html`);
    const peersText = cluster.peers.map((p) => `${p.host}:${p.port}`).join(',');
    const run = await runCli([
      'client',
      '--peers',
      peersText,
      '--order',
      'ATTACK',
      '--t',
      '3',
      '--traitors',
      '3,4,7',
      '--key',
      clientKeyFile(cluster.keyDir ?? ''),
      '--certs',
      certsDirOf(cluster.keyDir ?? ''),
      '--report',
      file,
    ]);
    try {
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /report of run run-[a-z0-9-]+ written to/);
      const html = readFileSync(file, 'utf8');
      assert.match(html, /From the generals&#39; answers to GetTrace/);
      assert.match(html, /id="count-batches">225</);
      assert.match(html, /id="count-values">3,609</);
      assert.match(html, /id="count-lies">550</);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('GetTrace of an unknown run fails with NOT_FOUND for every general, and the trace says so', async () => {
    const trace = await traceFromCluster(peers, {
      runId: 'no-such-run',
      n: SEED.n,
      t: SEED.t,
      order: 'ATTACK',
    });
    assert.equal(trace.generals.size, 0);
    assert.equal(trace.missing.size, SEED.n);
    for (const why of trace.missing.values()) assert.match(why, /unknown run "no-such-run"/);
  });

  it('the JSON-lines logs of the same generals give the same model, once they are stopped', async () => {
    const facts = await runOnCluster(peers, {
      n: SEED.n,
      t: SEED.t,
      order: SEED.order,
      roster: seedRoster(),
    });
    peers.close();
    await cluster.stop();
    const logs = readEventLogs(logDir);
    assert.equal(logs.skipped, 0);
    const model = buildReport(traceFromLogs(logs, facts.runId));
    assertSameRun(model, expected);
    // Without --run: the latest run, the one just made.
    assert.equal(buildReport(traceFromLogs(logs)).runId, facts.runId);
  });
});

describe('the report commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'byz-report-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('local --report writes the run from its logs; byzantine report LOG_DIR writes the same run again', async () => {
    const logDir = join(dir, 'logs');
    const first = join(dir, 'local.html');
    const run = await runCli([
      'local',
      '--generals',
      '4',
      '--t',
      '1',
      '--traitors',
      '3:flip',
      '--log-dir',
      logDir,
      '--report',
      first,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /report of run run-[a-z0-9-]+ written to .*local\.html/);
    const again = join(dir, 'again.html');
    const report = await runCli(['report', logDir, '--out', again]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /written to .*again\.html/);
    const count = (file: string, id: string) =>
      new RegExp(`id="${id}">([0-9,]+)<`).exec(readFileSync(file, 'utf8'))?.[1];
    for (const file of [first, again]) {
      // n=4, t=1: 3 + 3*2 batches, 3 + 6 values; 3 relays 1 value to each of 1 and 2, flipped.
      assert.equal(count(file, 'count-batches'), '9');
      assert.equal(count(file, 'count-values'), '9');
      assert.equal(count(file, 'count-lies'), '2');
    }
  });

  it('refuses bad input with every problem at once, exit status 2', async () => {
    const run = await runCli(['report', '--out', 'report.txt', '--run', 'x', '--bogus']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--bogus: unknown flag/);
    assert.match(run.stderr, /LOG_DIR: is required/);
    const both = await runCli(['simulate', '--generals', 'ten', '--report', 'out.txt']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--generals: expected the number of generals/);
    assert.match(both.stderr, /--report: expected a file name ending in \.html/);
    const missing = await runCli(['report', join(dir, 'nowhere'), '--out', join(dir, 'x.html')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read log directory/);
    assert.equal(existsSync(join(dir, 'x.html')), false);
  });

  it('report --help describes the command', async () => {
    const help = await runCli(['report', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: byzantine report LOG_DIR \[--run RUN_ID\] --out FILE\.html/);
  });
});
