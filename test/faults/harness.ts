import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneralFaults } from '../../src/config/faults.js';
import type { Order } from '../../src/core/order.js';
import { LocalCluster } from '../../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import { type RunResult, summarize } from '../../src/run/result.js';

export interface FaultRun {
  readonly result: RunResult;
  /** How each general process ended, if it did before the cluster was stopped. */
  readonly casualties: Map<number, string>;
  readonly logDir: string;
  intermediateLog(id: number): Promise<string>;
  events(id: number): Promise<Array<Record<string, unknown>>>;
  cleanup(): Promise<void>;
}

/**
 * One run on real general processes (src/local/cluster.ts), with faults in their env, judged as
 * `local` judges it. Readiness is awaited on the health service, never by sleeping.
 */
export async function runWithFaults(options: {
  n: number;
  t: number;
  order: Order;
  roundTimeoutMs: number;
  faults: ReadonlyMap<number, GeneralFaults>;
}): Promise<FaultRun> {
  const logDir = await mkdtemp(join(tmpdir(), 'byzantine-faults-'));
  const cluster = await LocalCluster.start({
    n: options.n,
    roster: new Map(),
    roundTimeoutMs: options.roundTimeoutMs,
    logDir,
    faults: options.faults,
  });
  const peers = cluster.clients();
  let result: RunResult;
  let casualties: Map<number, string>;
  try {
    await waitForGenerals(peers, 60_000);
    const faulted = new Map([...options.faults.keys()].map((id) => [id, 'fault'] as const));
    const gone = new Map(
      [...options.faults]
        .filter(([, f]) => f.crashRound !== undefined)
        .map(([id]) => [id, cluster.exited(id).then(() => 'exited')] as const),
    );
    const facts = await runOnCluster(peers, {
      n: options.n,
      t: options.t,
      order: options.order,
      roster: new Map(),
      expectFailures: new Set(faulted.keys()),
      gone,
    });
    result = summarize({ ...facts, faulted });
    casualties = cluster.casualties();
  } finally {
    peers.close();
    await cluster.stop();
  }
  return {
    result,
    casualties,
    logDir,
    intermediateLog: (id) => readFile(join(logDir, `general_${id}_intermediate.log`), 'utf8'),
    events: async (id) =>
      (await readFile(join(logDir, `general_${id}_events.jsonl`), 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    cleanup: () => rm(logDir, { recursive: true, force: true }),
  };
}
