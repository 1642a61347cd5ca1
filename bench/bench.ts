import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ed25519Signer } from '../src/auth/ed25519.js';
import { generalKeyName, loadPrivateKey, privateKeyPath } from '../src/auth/keys.js';
import type { Algorithm } from '../src/core/algorithm.js';
import { batchSize, logicalMessages, rpcsExpected } from '../src/core/om/counts.js';
import type { Order } from '../src/core/order.js';
import { batchBytes } from '../src/core/signatures.js';
import { LocalCluster } from '../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../src/net/cluster-client.js';
import type { PeerCallError } from '../src/net/errors.js';
import { PeerClients } from '../src/net/peers.js';
import { toWire } from '../src/net/proto.js';
import { summarize } from '../src/run/result.js';

/**
 * Speed and memory of real clusters on this machine: start time, run latency over repeated runs on
 * one cluster, the round-trip floor of a single SendOrder, RPCs, messages and peak RSS per general.
 */

interface Case {
  readonly n: number;
  readonly t: number;
  readonly runs: number;
  /** LOG_VALUES for the generals: the default `auto`, or `all` to measure a log line per value. */
  readonly logValues?: 'auto' | 'all' | 'batch';
  readonly algorithm?: Algorithm;
  /** Ed25519 on every batch and control request (the default), or AUTH=off to see what it costs. */
  readonly auth?: boolean;
}

/** Pairs that differ in one thing: OM with and without authentication, SM against OM at the same n, t. */
const CASES: readonly Case[] = [
  { n: 10, t: 3, runs: 30 },
  { n: 10, t: 3, runs: 30, auth: false },
  { n: 10, t: 3, runs: 30, algorithm: 'sm' },
  { n: 31, t: 3, runs: 10 },
  { n: 31, t: 3, runs: 10, auth: false },
  { n: 31, t: 3, runs: 10, algorithm: 'sm' },
  { n: 31, t: 3, runs: 5, logValues: 'all' },
  { n: 64, t: 2, runs: 5 },
];

interface Row {
  n: number;
  t: number;
  algorithm: Algorithm;
  auth: 'on' | 'off';
  logValues: string;
  runs: number;
  startMs: number;
  runMsMedian: number;
  runMsP95: number;
  /** CPU of all generals together per run: on 2 cores a run cannot take less than half of it. */
  cpuMsPerRun: number;
  rttMsMedian: number;
  floorRatio: number;
  rpcs: number;
  messages: number;
  peakRssMb: number;
  agreed: boolean;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
};

/** CPU time (user + system) a process has used so far, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

/**
 * Median round trip of one SendOrder of the run's largest OM batch, refused as an unknown run; with
 * keys, signed as general 2, so the receiver's signature check is part of it (the sender's is not).
 */
async function sendOrderRtt(
  peers: PeerClients,
  keyDir: string | undefined,
  c: Case,
  samples: number,
): Promise<number> {
  const batch = {
    runId: 'bench-rtt',
    round: c.t,
    sender: 2,
    receiver: 1,
    values: new Array<Order>(batchSize(c.n, c.t)).fill('ATTACK'),
  };
  const signature =
    keyDir === undefined
      ? undefined
      : ed25519Signer(loadPrivateKey(privateKeyPath(keyDir, generalKeyName(2)))).sign(batchBytes(batch));
  const request = {
    ...batch,
    values: batch.values.map(toWire),
    ...(signature === undefined ? {} : { signature }),
  };
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    try {
      await peers.call(1, 'SendOrder', request, 5000);
    } catch (error) {
      if ((error as PeerCallError).code !== 5 /* NOT_FOUND: the expected refusal */) throw error;
    }
    times.push(performance.now() - started);
  }
  return quantile(times, 0.5);
}

async function measure(c: Case, log: (line: string) => void): Promise<Row> {
  const logDir = mkdtempSync(join(tmpdir(), `bench-${c.n}-`));
  const started = performance.now();
  const cluster = await LocalCluster.start({
    n: c.n,
    roster: new Map(),
    // Long enough that no value of a slow run is lost: the bench measures runs, not deadlines.
    roundTimeoutMs: 120_000,
    logDir,
    compiled: true,
    env: { LOG_VALUES: c.logValues ?? 'auto' },
    auth: c.auth ?? true,
  });
  const peers = new PeerClients(cluster.peers);
  try {
    await waitForGenerals(peers, 120_000);
    const startMs = performance.now() - started;
    log(`n=${c.n} t=${c.t}: ${c.n} generals healthy in ${startMs.toFixed(0)} ms; warming up`);
    // The generals authenticate by default: the cluster's ephemeral client key signs each run.
    const algorithm = c.algorithm ?? 'om';
    const request = {
      n: c.n,
      t: c.t,
      order: 'ATTACK' as const,
      roster: new Map(),
      algorithm,
      control: cluster.control,
    };
    await runOnCluster(peers, request);
    const clusterCpu = () =>
      Array.from({ length: c.n }, (_, id) => cpuMs(cluster.pid(id))).reduce((a, b) => a + b, 0);
    const cpuBefore = clusterCpu();
    const times: number[] = [];
    let rpcs = 0;
    let messages = 0;
    let agreed = true;
    for (let i = 0; i < c.runs; i++) {
      const result = summarize(await runOnCluster(peers, request));
      times.push(result.elapsedMs);
      rpcs = result.rpcs;
      messages = result.messages.delivered;
      agreed &&= result.ic1 && result.ic2 && result.unreachable.length === 0;
      log(`n=${c.n} t=${c.t}: run ${i + 1}/${c.runs} ${result.elapsedMs.toFixed(1)} ms`);
    }
    const cpuMsPerRun = (clusterCpu() - cpuBefore) / c.runs;
    const rttMsMedian = await sendOrderRtt(peers, cluster.keyDir, c, 50);
    const runMsMedian = quantile(times, 0.5);
    const rss = Array.from({ length: c.n }, (_, id) => peakRssMb(cluster.pid(id)));
    // With everyone loyal, SM sends each lieutenant the order and has it relay it once.
    const expected =
      algorithm === 'sm' ? c.n - 1 + (c.t > 0 ? (c.n - 1) * (c.n - 2) : 0) : logicalMessages(c.n, c.t);
    return {
      n: c.n,
      t: c.t,
      algorithm,
      auth: c.auth === false ? 'off' : 'on',
      logValues: c.logValues ?? 'auto',
      runs: c.runs,
      startMs,
      runMsMedian,
      runMsP95: quantile(times, 0.95),
      cpuMsPerRun,
      rttMsMedian,
      floorRatio: runMsMedian / ((c.t + 1) * rttMsMedian),
      rpcs,
      messages,
      peakRssMb: Math.max(...rss),
      agreed: agreed && messages === expected && rpcs === rpcsExpected(c.n, c.t),
    };
  } finally {
    peers.close();
    await cluster.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

function table(rows: Row[]): string {
  const head = [
    'n',
    't',
    'algorithm',
    'auth',
    'log lines',
    'runs',
    'start ms',
    'run ms median',
    'run ms p95',
    'CPU ms per run (all generals)',
    'SendOrder rtt ms',
    'run / (t+1) rtt',
    'RPCs',
    'messages',
    'peak RSS MB/general',
    'agreed',
  ];
  const body = rows.map((r) => [
    String(r.n),
    String(r.t),
    r.algorithm.toUpperCase(),
    r.auth,
    r.logValues,
    String(r.runs),
    r.startMs.toFixed(0),
    r.runMsMedian.toFixed(1),
    r.runMsP95.toFixed(1),
    r.cpuMsPerRun.toFixed(0),
    r.rttMsMedian.toFixed(2),
    r.floorRatio.toFixed(1),
    r.rpcs.toLocaleString('en-US'),
    r.messages.toLocaleString('en-US'),
    r.peakRssMb.toFixed(0),
    r.agreed ? 'yes' : 'NO',
  ]);
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...body.map((b) => `| ${b.join(' | ')} |`),
  ].join('\n');
}

const caseText = (c: Case) =>
  `${c.n}:${c.t}:${c.runs}:${c.logValues ?? 'auto'}:${c.algorithm ?? 'om'}:${c.auth === false ? 'off' : 'on'}`;

const HELP = `usage: npm run bench -- [--json] [--case N:T[:RUNS[:LOG_VALUES[:ALGORITHM[:AUTH]]]] ...]

Starts real general processes on loopback per case, runs OM(t) or SM(t) repeatedly on one cluster
and prints a table (or, with --json, an array with one object per case). LOG_VALUES: auto, all or
batch; ALGORITHM: om or sm; AUTH: on (Ed25519 on every batch and request) or off.
Default cases: ${CASES.map(caseText).join(', ')}.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      case: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const cases = (values.case ?? []).map((text): Case => {
    const [nText, tText, runsText, logValues = 'auto', algorithm = 'om', auth = 'on'] = text.split(':');
    const [n, t, runs] = [nText, tText, runsText ?? '10'].map(Number);
    if (
      !Number.isInteger(n) ||
      !Number.isInteger(t) ||
      !Number.isInteger(runs) ||
      !['auto', 'all', 'batch'].includes(logValues) ||
      (algorithm !== 'om' && algorithm !== 'sm') ||
      (auth !== 'on' && auth !== 'off')
    ) {
      throw new Error(
        `--case ${text}: expected N:T[:RUNS[:LOG_VALUES[:ALGORITHM[:AUTH]]]] with LOG_VALUES auto, all or batch, ALGORITHM om or sm, AUTH on or off`,
      );
    }
    return {
      n: n ?? 0,
      t: t ?? 0,
      runs: runs ?? 10,
      logValues: logValues as 'auto' | 'all' | 'batch',
      algorithm,
      auth: auth === 'on',
    };
  });
  const rows: Row[] = [];
  const progress = (line: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
  };
  for (const c of cases.length > 0 ? cases : CASES) rows.push(await measure(c, progress));
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  console.log(values.json ? JSON.stringify(rows, null, 2) : table(rows));
}

await main();
