import type { LocalConfig, Roster } from '../config/config.js';
import type { Order } from '../core/order.js';
import { LocalCluster } from '../local/cluster.js';
import { runOnCluster, waitForGenerals } from '../net/cluster-client.js';
import { GeneralsUnreachableError } from '../net/errors.js';
import type { PeerClients } from '../net/peers.js';
import type { ClusterProgress } from '../progress/cluster-progress.js';
import { type RunResult, summarize } from '../run/result.js';
import { faultedOf } from './fault-flags.js';

/** Starting a general costs a quarter second of CPU or more: on two cores, 100 take half a minute. */
export const healthWaitMs = (n: number): number => 30_000 + 1000 * n;

/**
 * Starts the generals of `config` (with `roster`), hands them to `use`, and stops them all
 * afterwards: on success, on failure, and on Ctrl-C or SIGTERM.
 */
export async function withLocalCluster<T>(
  config: LocalConfig,
  roster: Roster,
  use: (cluster: LocalCluster, peers: PeerClients) => Promise<T>,
): Promise<T> {
  const cluster = await LocalCluster.start({ ...config, roster });
  const peers = cluster.clients();
  const interrupt = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping ${config.n} generals\n`);
    peers.close();
    cluster.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await use(cluster, peers);
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    peers.close();
    await cluster.stop();
  }
}

/**
 * Waits until every general is healthy; a general whose process dies meanwhile (a port in use,
 * say) ends the wait at once with GeneralsUnreachableError naming it.
 */
export async function waitForCluster(
  cluster: LocalCluster,
  peers: PeerClients,
  progress?: ClusterProgress,
): Promise<void> {
  const stopWaiting = new AbortController();
  const died = cluster.firstExit().then((id): never => {
    stopWaiting.abort();
    const address = peers.address(id);
    throw new GeneralsUnreachableError(
      new Map([[id, `its process at ${address} ended before it was healthy`]]),
    );
  });
  died.catch(() => {});
  const healthy =
    progress === undefined
      ? waitForGenerals(peers, healthWaitMs(peers.peers.length), undefined, stopWaiting.signal)
      : progress.waitForGenerals(healthWaitMs(peers.peers.length), stopWaiting.signal);
  await Promise.race([healthy, died]);
}

/**
 * One run on a started cluster, with its injected faults: a crashing general is waited for only
 * until its process ends, and every faulted general is judged as faulty.
 */
export async function runWithFaults(
  cluster: LocalCluster,
  peers: PeerClients,
  config: LocalConfig,
  run: { readonly order: Order; readonly roster: Roster; readonly progress?: ClusterProgress },
): Promise<{ readonly runId: string; readonly result: RunResult }> {
  const faulted = faultedOf(config.faults);
  const crashing = [...(config.faults ?? [])].filter(([, f]) => f.crashRound !== undefined);
  const gone = new Map(
    crashing.map(([id]) => [id, cluster.exited(id).then(() => cluster.casualties().get(id) ?? 'exited')]),
  );
  const facts = await runOnCluster(peers, {
    ...config,
    order: run.order,
    roster: run.roster,
    expectFailures: new Set(faulted.keys()),
    gone,
    onLieutenantsJoined: run.progress?.onLieutenantsJoined,
  });
  return { runId: facts.runId, result: summarize({ ...facts, faulted }) };
}
