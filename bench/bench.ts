import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Algorithm } from '../src/core/algorithm.js';
import { kingMessages } from '../src/core/king/counts.js';
import { logicalMessages, rpcsExpected } from '../src/core/om/counts.js';
import { LocalCluster } from '../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../src/net/cluster-client.js';
import { summarize } from '../src/run/result.js';
import { FloorCluster } from './floor/floor-cluster.js';
import { floorPayloads } from './floor/payloads.js';
import { cpuMs, peakRssMb, quantile } from './measure.js';
import { type ProfileSummary, profileArgs, profileClockUs, summarizeDir } from './profile.js';
import { measureStartUp, type StartUp } from './start-up.js';

/**
 * Speed and memory of real clusters on this machine, each against its floor measured in the same
 * run: the same batches between the same number of processes over bare grpc-js (bench/floor).
 */

interface Case {
  readonly n: number;
  readonly t: number;
  readonly runs: number;
  /** LOG_VALUES for the generals: the default `auto`, or `all` to measure a log line per value. */
  readonly logValues?: 'auto' | 'all' | 'batch';
  readonly algorithm?: Algorithm;
  /** Mutual TLS (the default), or AUTH=off to see what it costs. */
  readonly auth?: boolean;
  /** Batches on one stream per peer (the default), or a unary SendOrder call each, as before. */
  readonly calls?: 'stream' | 'unary';
  /**
   * The generals' progress on stdout (piped to the launcher, as a container runtime reads it): on
   * (LOG_LEVEL=info, the default), off (silent), or debug (a line per batch too).
   */
  readonly progress?: Progress;
}

const PROGRESS = ['on', 'off', 'debug'] as const;
type Progress = (typeof PROGRESS)[number];
const LOG_LEVEL_OF: Record<Progress, string> = { on: 'info', off: 'silent', debug: 'debug' };

/**
 * Pairs that differ in one thing: streams against unary calls, TLS against none, SM against OM,
 * the generals' stdout progress on against off.
 */
const CASES: readonly Case[] = [
  { n: 10, t: 3, runs: 30 },
  { n: 10, t: 3, runs: 30, progress: 'off' },
  { n: 10, t: 3, runs: 30, calls: 'unary' },
  { n: 10, t: 3, runs: 30, auth: false },
  { n: 10, t: 3, runs: 30, algorithm: 'sm' },
  { n: 31, t: 3, runs: 10 },
  { n: 31, t: 3, runs: 10, progress: 'off' },
  { n: 31, t: 3, runs: 5, calls: 'unary' },
  { n: 31, t: 3, runs: 10, algorithm: 'sm' },
  { n: 31, t: 3, runs: 5, logValues: 'all' },
  { n: 64, t: 2, runs: 5 },
  { n: 31, t: 10, runs: 3, algorithm: 'king' },
  { n: 100, t: 33, runs: 1, algorithm: 'king' },
];

interface Row {
  n: number;
  t: number;
  algorithm: Algorithm;
  auth: 'on' | 'off';
  calls: 'stream' | 'unary';
  progress: Progress;
  logValues: string;
  runs: number;
  startMs: number;
  runMsMedian: number;
  runMsP95: number;
  /** CPU of all generals together per run: on 2 cores a run cannot take less than half of it. */
  cpuMsPerRun: number;
  cpuUsPerBatch: number;
  floorMsMedian: number;
  floorCpuMsPerRun: number;
  /** Run median over floor median. */
  floorRatio: number;
  rpcs: number;
  messages: number;
  peakRssMb: number;
  agreed: boolean;
  /** With --cpu-prof: where the generals and the floor spent their busy time after warm-up. */
  profile?: { generals: ProfileSummary; floor: ProfileSummary };
}

/** Where a case's profiles go with --cpu-prof, and the moment its steady state began. */
interface Profiling {
  readonly dir: string;
  steadyFromUs: number;
}

async function measureFloor(
  c: Case,
  log: (line: string) => void,
  profiling: Profiling | undefined,
): Promise<{ median: number; cpu: number }> {
  const algorithm = c.algorithm ?? 'om';
  const nodeArgs = profiling === undefined ? [] : profileArgs(profiling.dir);
  const floor = await FloorCluster.start(c.n, c.t, algorithm, floorPayloads(algorithm, c.n, c.t), nodeArgs);
  try {
    await floor.once();
    if (profiling !== undefined) profiling.steadyFromUs = profileClockUs();
    const cpu = () => Array.from({ length: c.n }, (_, id) => cpuMs(floor.pid(id))).reduce((a, b) => a + b, 0);
    const before = cpu();
    const times: number[] = [];
    for (let i = 0; i < c.runs; i++) {
      times.push(await floor.once());
      log(`n=${c.n} t=${c.t}: floor run ${i + 1}/${c.runs}`);
    }
    return { median: quantile(times, 0.5), cpu: (cpu() - before) / c.runs };
  } finally {
    await floor.stop();
  }
}

async function measure(c: Case, log: (line: string) => void, profileDir: string | undefined): Promise<Row> {
  const generalsProfile: Profiling | undefined =
    profileDir === undefined
      ? undefined
      : { dir: join(profileDir, caseLabel(c), 'generals'), steadyFromUs: 0 };
  const floorProfile: Profiling | undefined =
    profileDir === undefined ? undefined : { dir: join(profileDir, caseLabel(c), 'floor'), steadyFromUs: 0 };
  const logDir = mkdtempSync(join(tmpdir(), `bench-${c.n}-`));
  const started = performance.now();
  const cluster = await LocalCluster.start({
    n: c.n,
    roster: new Map(),
    // Long enough that no value of a slow run is lost: the bench measures runs, not deadlines.
    roundTimeoutMs: 120_000,
    logDir,
    compiled: true,
    env: {
      LOG_VALUES: c.logValues ?? 'auto',
      PEER_CALLS: c.calls ?? 'stream',
      LOG_LEVEL: LOG_LEVEL_OF[c.progress ?? 'on'],
    },
    auth: c.auth ?? true,
    nodeArgs: generalsProfile === undefined ? [] : profileArgs(generalsProfile.dir),
  });
  const peers = cluster.clients();
  try {
    await waitForGenerals(peers, 120_000);
    const startMs = performance.now() - started;
    log(`n=${c.n} t=${c.t}: ${c.n} generals healthy in ${startMs.toFixed(0)} ms; warming up`);
    const algorithm = c.algorithm ?? 'om';
    const request = { n: c.n, t: c.t, order: 'ATTACK' as const, roster: new Map(), algorithm };
    await runOnCluster(peers, request);
    if (generalsProfile !== undefined) generalsProfile.steadyFromUs = profileClockUs();
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
    const rss = Array.from({ length: c.n }, (_, id) => peakRssMb(cluster.pid(id)));
    peers.close();
    await cluster.stop();
    const floor = await measureFloor(c, log, floorProfile);
    const runMsMedian = quantile(times, 0.5);
    // With everyone loyal, SM sends each lieutenant the order and has it relay it once; King sends
    // every message of its schedule, one value each, so its batches are its messages.
    const expected =
      algorithm === 'sm'
        ? c.n - 1 + (c.t > 0 ? (c.n - 1) * (c.n - 2) : 0)
        : algorithm === 'king'
          ? kingMessages(c.n, c.t)
          : logicalMessages(c.n, c.t);
    const batches = algorithm === 'king' ? kingMessages(c.n, c.t) : rpcsExpected(c.n, c.t);
    return {
      n: c.n,
      t: c.t,
      algorithm,
      auth: c.auth === false ? 'off' : 'on',
      calls: c.calls ?? 'stream',
      progress: c.progress ?? 'on',
      logValues: c.logValues ?? 'auto',
      runs: c.runs,
      startMs,
      runMsMedian,
      runMsP95: quantile(times, 0.95),
      cpuMsPerRun,
      cpuUsPerBatch: (cpuMsPerRun * 1000) / rpcs,
      floorMsMedian: floor.median,
      floorCpuMsPerRun: floor.cpu,
      floorRatio: runMsMedian / floor.median,
      rpcs,
      messages,
      peakRssMb: Math.max(...rss),
      agreed: agreed && messages === expected && rpcs === batches,
      ...(generalsProfile !== undefined && floorProfile !== undefined
        ? {
            profile: {
              generals: summarizeDir(generalsProfile.dir, generalsProfile.steadyFromUs),
              floor: summarizeDir(floorProfile.dir, floorProfile.steadyFromUs),
            },
          }
        : {}),
    };
  } finally {
    peers.close();
    await cluster.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

function markdown(head: readonly string[], body: readonly (readonly string[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...body.map((b) => `| ${b.join(' | ')} |`),
  ].join('\n');
}

function table(rows: readonly Row[]): string {
  const head = [
    'n',
    't',
    'algorithm',
    'auth',
    'calls',
    'stdout progress',
    'log lines',
    'runs',
    'start ms',
    'run ms median',
    'run ms p95',
    'floor ms median',
    'run / floor',
    'CPU ms per run (all generals)',
    'floor CPU ms per run',
    'CPU µs per batch',
    'batches',
    'messages',
    'peak RSS MB/general',
    'agreed',
  ];
  return markdown(
    head,
    rows.map((r) => [
      String(r.n),
      String(r.t),
      r.algorithm.toUpperCase(),
      r.auth === 'on' ? 'mTLS' : 'off',
      r.calls,
      r.progress,
      r.logValues,
      String(r.runs),
      r.startMs.toFixed(0),
      r.runMsMedian.toFixed(1),
      r.runMsP95.toFixed(1),
      r.floorMsMedian.toFixed(1),
      r.floorRatio.toFixed(2),
      r.cpuMsPerRun.toFixed(0),
      r.floorCpuMsPerRun.toFixed(0),
      r.cpuUsPerBatch.toFixed(0),
      r.rpcs.toLocaleString('en-US'),
      r.messages.toLocaleString('en-US'),
      r.peakRssMb.toFixed(0),
      r.agreed ? 'yes' : 'NO',
    ]),
  );
}

function startUpTable(startUp: StartUp): string {
  return markdown(
    ['start-up', 'median ms', 'runs'],
    [
      ['10 generals spawned to all healthy', startUp.healthyMs.toFixed(0), String(startUp.samples)],
      ['`npm start`, typed to verdict', startUp.npmStartMs.toFixed(0), String(startUp.samples)],
    ],
  );
}

/** A case as a directory name, for its profiles. */
const caseLabel = (c: Case): string => caseText(c).replaceAll(':', '-');

/** Where the time went, per case: the generals' packages beside the floor's. */
function profileTables(rows: readonly Row[]): string[] {
  return rows.flatMap((r) => {
    if (r.profile === undefined) return [];
    const { generals, floor } = r.profile;
    const floorShare = new Map(floor.packages.map((s) => [s.name, s.percent]));
    const title = `Where the time goes: n=${r.n}, t=${r.t}, ${r.algorithm.toUpperCase()}, ${r.calls}, auth ${r.auth}, progress ${r.progress}, log lines ${r.logValues} (busy ms after warm-up: generals ${generals.busyMs.toFixed(0)}, floor ${floor.busyMs.toFixed(0)}; the profiler's own cost included)`;
    const packages = markdown(
      ['package or file', 'generals % of busy', 'floor % of busy'],
      generals.packages.map((s) => [s.name, s.percent.toFixed(1), floorShare.get(s.name)?.toFixed(1) ?? '']),
    );
    const functions = markdown(
      ['function (package)', 'generals % of busy'],
      generals.functions.map((s) => [s.name, s.percent.toFixed(1)]),
    );
    return ['', title, '', packages, '', functions];
  });
}

const caseText = (c: Case) =>
  `${c.n}:${c.t}:${c.runs}:${c.logValues ?? 'auto'}:${c.algorithm ?? 'om'}:${c.auth === false ? 'off' : 'on'}:${c.calls ?? 'stream'}:${c.progress ?? 'on'}`;

const HELP = `usage: npm run bench -- [--json] [--case N:T[:RUNS[:LOG_VALUES[:ALGORITHM[:AUTH[:CALLS[:PROGRESS]]]]]] ...] [--no-start-up] [--cpu-prof DIR]

Starts real general processes on loopback per case, runs OM(t) or SM(t) repeatedly on one cluster,
then the same batches between the same number of processes over bare grpc-js (the floor), and
prints a table (or, with --json, an object with one row per case). LOG_VALUES: auto, all or batch;
ALGORITHM: om, sm or king; AUTH: on (mutual TLS) or off; CALLS: stream (one per peer) or unary (a call
per batch); PROGRESS: the generals' stdout progress, read by this launcher through a pipe: on
(LOG_LEVEL=info, the default), off (LOG_LEVEL=silent) or debug (a line per batch too). Then, unless --no-start-up, the start-up times: 10 generals to healthy, and npm start.
With --cpu-prof DIR, every general and floor process runs under node --cpu-prof, writes its profile
into DIR/<case>/generals or DIR/<case>/floor (with steady-from-us: when warm-up ended, on the
profiles' clock), and each case adds where the time went after warm-up:
self time by package (or file of this project) and by function (the profiles open in Chrome DevTools).
Default cases: ${CASES.map(caseText).join(', ')}.`;

function parseCase(text: string): Case {
  const [
    nText,
    tText,
    runsText,
    logValues = 'auto',
    algorithm = 'om',
    auth = 'on',
    calls = 'stream',
    progress = 'on',
  ] = text.split(':');
  const [n, t, runs] = [nText, tText, runsText ?? '10'].map(Number);
  if (
    !Number.isInteger(n) ||
    !Number.isInteger(t) ||
    !Number.isInteger(runs) ||
    !['auto', 'all', 'batch'].includes(logValues) ||
    (algorithm !== 'om' && algorithm !== 'sm' && algorithm !== 'king') ||
    (auth !== 'on' && auth !== 'off') ||
    (calls !== 'stream' && calls !== 'unary') ||
    !(PROGRESS as readonly string[]).includes(progress)
  ) {
    throw new Error(
      `--case ${text}: expected N:T[:RUNS[:LOG_VALUES[:ALGORITHM[:AUTH[:CALLS[:PROGRESS]]]]]] with LOG_VALUES auto, all or batch, ALGORITHM om, sm or king, AUTH on or off, CALLS stream or unary, PROGRESS on, off or debug`,
    );
  }
  return {
    n: n ?? 0,
    t: t ?? 0,
    runs: runs ?? 10,
    logValues: logValues as 'auto' | 'all' | 'batch',
    algorithm,
    auth: auth === 'on',
    calls,
    progress: progress as Progress,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      case: { type: 'string', multiple: true },
      'no-start-up': { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const cases = (values.case ?? []).map(parseCase);
  const rows: Row[] = [];
  const progress = (line: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
  };
  const profileDir = values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']);
  for (const c of cases.length > 0 ? cases : CASES) rows.push(await measure(c, progress, profileDir));
  const startUp = values['no-start-up'] ? undefined : await measureStartUp(progress);
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  if (values.json) console.log(JSON.stringify({ cases: rows, startUp }, null, 2));
  else
    console.log(
      [
        table(rows),
        ...(startUp === undefined ? [] : ['', startUpTable(startUp)]),
        ...profileTables(rows),
      ].join('\n'),
    );
}

await main();
