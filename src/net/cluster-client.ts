import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { type Algorithm, lastRoundOf } from '../core/algorithm.js';
import type { Order } from '../core/order.js';
import { COMMANDER } from '../core/paths.js';
import type { GeneralReport, Roster, RunFacts } from '../run/result.js';
import { GeneralsUnreachableError, PeerCallError } from './errors.js';
import type { GetDecisionResponse__Output } from './generated/byzantine/v1/GetDecisionResponse.js';
import type { RunAlgorithmResponse__Output } from './generated/byzantine/v1/RunAlgorithmResponse.js';
import { checkHealth } from './health.js';
import type { PeerClients } from './peers.js';
import { phaseFromWire } from './phase-wire.js';
import { toOrder, WireOrder, wireAlgorithm } from './proto.js';

export interface RunRequest {
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  readonly roster: Roster;
  /** OM unless said otherwise. */
  readonly algorithm?: Algorithm | undefined;
  readonly roundTimeoutMs?: number | undefined;
  /** Overall bound on waiting for decisions; by default derived from the round deadlines. */
  readonly timeoutMs?: number | undefined;
  /** Generals expected to fail (an injected crash): the run goes on without them, even the commander. */
  readonly expectFailures?: ReadonlySet<number> | undefined;
  /** Generals already known to be unreachable, with why: the run goes on without asking them. */
  readonly unreachable?: ReadonlyMap<number, string> | undefined;
  /** Stop waiting for a general's decision once its promise settles (its process ended), with why. */
  readonly gone?: ReadonlyMap<number, Promise<string>> | undefined;
  /**
   * Called once the lieutenants have joined and before the commander issues the order (so no round
   * has closed yet), with those that joined and the bound on waiting for decisions: for progress.
   */
  readonly onLieutenantsJoined?: ((runId: string, joined: number[], waitMs: number) => void) | undefined;
}

/**
 * A join is cheap, but every general opens its streams to every peer as it joins: among 100 generals
 * on a small machine that is ten thousand TLS handshakes at once, so the bound grows with n.
 */
export const joinDeadlineMs = (n: number): number => 5000 + 250 * n;
/** Slack past (t+1) round deadlines for the generals' own work and the replies. */
const DECISION_SLACK_MS = 5000;

export function newRunId(): string {
  return `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Why a general refused the client, and what to check. A general that does not accept the client's
 * certificate (another CA) ends the TLS handshake, which gRPC reports as UNAVAILABLE; a certificate
 * that is not the client's is refused with PERMISSION_DENIED.
 */
export function refusalReason(error: unknown, secured: boolean): string {
  if (!(error instanceof PeerCallError)) return reason(error);
  const details = (error.cause as Partial<grpc.ServiceError> | undefined)?.details ?? reason(error);
  if (error.code === grpc.status.PERMISSION_DENIED) {
    return `${details}; is --key (CLIENT_KEY_FILE) keys/private/client.pem, the key of the client certificate in --certs?`;
  }
  if (error.code === grpc.status.UNAVAILABLE && !secured) {
    return `${details}; if the generals run with authentication on, give the client's key and the cluster's certificates (--key, --certs) rather than --auth off`;
  }
  return details;
}

/**
 * Waits (bounded by `waitMs`) until every general reports SERVING on the health service.
 * Throws GeneralsUnreachableError naming those that never did.
 */
export async function waitForGenerals(
  peers: PeerClients,
  waitMs: number,
  onWait?: (pending: number[]) => void,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  const ids = peers.peers.map((_, id) => id);
  const failures = new Map<number, string>();
  const ready = new Set<number>();
  const reportEvery = setInterval(() => onWait?.(ids.filter((id) => !ready.has(id))), 1000);
  // One abort listener per general is expected, not a leak: 100 generals wait on one signal.
  if (signal !== undefined) setMaxListeners(ids.length + 10, signal);
  try {
    await Promise.all(
      ids.map(async (id) => {
        const client = peers.health(id);
        // Aborted: closing the channel ends the pending check at once.
        const abort = () => client.close();
        signal?.addEventListener('abort', abort);
        try {
          let status = '';
          while (Date.now() < deadline && signal?.aborted !== true) {
            status = await checkHealth(client, Math.max(1, Math.min(2000, deadline - Date.now())));
            if (status === 'SERVING') {
              ready.add(id);
              return;
            }
            // Not serving yet (starting, or refused): ask again shortly, within the same bound.
            await new Promise((r) => setTimeout(r, 100));
          }
          failures.set(
            id,
            `not healthy at ${peers.address(id)} after ${waitMs} ms: ${status || 'no answer'}`,
          );
        } finally {
          signal?.removeEventListener('abort', abort);
          client.close();
        }
      }),
    );
  } finally {
    clearInterval(reportEvery);
  }
  if (failures.size > 0) throw new GeneralsUnreachableError(failures);
}

/**
 * One run: every lieutenant joins, then the commander (the only one told the order) joins and
 * issues it; then every general is asked for its decision.
 */
export async function runOnCluster(
  peers: PeerClients,
  request: RunRequest,
  runId = newRunId(),
): Promise<RunFacts> {
  const { n, t, order, roster } = request;
  const algorithm = request.algorithm ?? 'om';
  // OM and SM run rounds 0..t, King 0..3(t+1): each round may wait out its deadline.
  const rounds = lastRoundOf(algorithm, t) + 1;
  const started = performance.now();
  const failures = new Map<number, string>(request.unreachable ?? []);
  const timeouts: number[] = [];
  const join = async (id: number) => {
    if (failures.has(id)) return;
    const roundTimeoutMs = request.roundTimeoutMs ?? 0;
    try {
      const reply = await peers.call<object, RunAlgorithmResponse__Output>(
        id,
        'RunAlgorithm',
        {
          runId,
          generals: n,
          t,
          algorithm: wireAlgorithm(algorithm),
          order: id === COMMANDER ? WireOrder[order] : WireOrder.ORDER_UNSPECIFIED,
          roundTimeoutMs,
        },
        joinDeadlineMs(n),
      );
      timeouts.push(reply.roundTimeoutMs);
    } catch (error) {
      failures.set(id, refusalReason(error, peers.security.mode === 'tls'));
    }
  };
  const lieutenants = peers.peers.map((_, id) => id).filter((id) => id !== COMMANDER);
  await Promise.all(lieutenants.map(join));
  // A lieutenant that did not join still counts on its peers' round deadlines, not ours.
  request.onLieutenantsJoined?.(
    runId,
    lieutenants.filter((id) => !failures.has(id)),
    request.timeoutMs ?? rounds * Math.max(0, ...timeouts) + DECISION_SLACK_MS,
  );
  await join(COMMANDER);
  if (failures.has(COMMANDER) && !request.expectFailures?.has(COMMANDER)) {
    throw new GeneralsUnreachableError(failures);
  }

  const roundTimeout = Math.max(...timeouts);
  const waitMs = request.timeoutMs ?? rounds * roundTimeout + DECISION_SLACK_MS;
  const reports = new Map<number, GeneralReport>();
  await Promise.all(
    peers.peers.map(async (_, id) => {
      if (failures.has(id)) return;
      try {
        const asked = peers.call<object, GetDecisionResponse__Output>(id, 'GetDecision', { runId }, waitMs);
        const gone = request.gone?.get(id);
        const reply = await (gone === undefined
          ? asked
          : Promise.race([asked, gone.then((why) => Promise.reject(new Error(`general ${id}: ${why}`)))]));
        reports.set(id, {
          id,
          decision: toOrder(reply.decision),
          tally: { attack: reply.tally?.attack ?? 0, retreat: reply.tally?.retreat ?? 0 },
          valuesReceived: reply.valuesReceived,
          valuesMissing: reply.valuesMissing,
          batchesRejected: reply.batchesRejected,
          rpcsSent: reply.rpcsSent,
          valuesSent: reply.valuesSent,
          lies: reply.lies,
          ...(algorithm === 'sm' ? { valuesInvalid: reply.valuesInvalid } : {}),
          ...(algorithm === 'king' ? { phases: (reply.phases ?? []).map(phaseFromWire) } : {}),
        });
      } catch (error) {
        failures.set(id, reason(error));
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  return { runId, n, t, order, roster, algorithm, reports, failures, elapsedMs };
}
