import type * as grpc from '@grpc/grpc-js';
import type { Algorithm } from '../core/algorithm.js';
import { lettersOf, type Order } from '../core/order.js';
import type { GeneralTrace, RunTrace } from '../report/trace.js';
import { TraceSource } from '../report/trace.js';
import type { GetTraceResponse__Output } from './generated/byzantine/v1/GetTraceResponse.js';
import type { RoundReport__Output } from './generated/byzantine/v1/RoundReport.js';
import { waitForReadyMetadata } from './health.js';
import type { PeerClients } from './peers.js';
import { phaseFromWire } from './phase-wire.js';
import { toAlgorithm, toOrder, WireOrder } from './proto.js';

/** Bound on fetching one general's trace: a big run's trace is a few hundred kilobytes. */
export const TRACE_DEADLINE_MS = 10_000;

const letters = (values: readonly unknown[]) => lettersOf(values.map(toOrder));

const isUnspecified = (wire: unknown) => wire === WireOrder.ORDER_UNSPECIFIED || wire === 'ORDER_UNSPECIFIED';

export function generalTraceOf(reply: GetTraceResponse__Output): GeneralTrace {
  return {
    id: reply.id,
    strategy: reply.strategy,
    received: reply.received.map((b) => {
      // SM: the signers of each value's chain, and which of them did not verify.
      const invalid = b.invalid.flatMap((bad, i) => (bad ? [i] : []));
      return {
        round: b.round,
        from: b.sender,
        values: letters(b.values),
        ...(b.rejected === '' ? {} : { rejected: b.rejected }),
        ...(b.chains.length === 0 ? {} : { chains: b.chains.map((c) => c.signers.join('.')) }),
        ...(invalid.length === 0 ? {} : { invalid }),
      };
    }),
    lies: reply.lies.map((lie) => ({
      round: lie.round,
      to: lie.receiver,
      path: lie.path,
      before: toOrder(lie.before),
      after: isUnspecified(lie.after) ? null : toOrder(lie.after),
    })),
    rounds: reply.rounds.map((r) => ({
      round: r.round,
      batchesExpected: r.batchesExpected,
      batchesReceived: r.batchesReceived,
      timedOut: r.timedOut,
      elapsedMs: r.elapsedMs,
    })),
    ...(reply.decided
      ? {
          decision: toOrder(reply.decision),
          tally: { attack: reply.tally?.attack ?? 0, retreat: reply.tally?.retreat ?? 0 },
        }
      : {}),
    // A general built before King answers without the field at all.
    ...((reply.phases ?? []).length === 0 ? {} : { phases: reply.phases.map(phaseFromWire) }),
  };
}

export interface TracedRun {
  readonly runId: string;
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  /** The algorithm the client asked for; without it, the generals' answers say. */
  readonly algorithm?: Algorithm | undefined;
  readonly elapsedMs?: number;
}

/**
 * The run's trace, asked of every general with GetTrace (each call bounded by `deadlineMs`): what
 * the client needs for a report when it cannot read the generals' logs (containers, other hosts).
 */
export async function traceFromCluster(
  peers: PeerClients,
  run: TracedRun,
  deadlineMs = TRACE_DEADLINE_MS,
): Promise<RunTrace> {
  const generals = new Map<number, GeneralTrace>();
  const missing = new Map<number, string>();
  let answered: Algorithm | undefined;
  await Promise.all(
    peers.peers.map(async (_, id) => {
      try {
        const reply = await peers.call<object, GetTraceResponse__Output>(
          id,
          'GetTrace',
          { runId: run.runId },
          deadlineMs,
        );
        generals.set(id, generalTraceOf(reply));
        answered ??= toAlgorithm(reply.algorithm);
      } catch (error) {
        missing.set(id, error instanceof Error ? error.message : String(error));
      }
    }),
  );
  return {
    runId: run.runId,
    algorithm: run.algorithm ?? answered ?? 'om',
    n: run.n,
    t: run.t,
    order: run.order,
    source: TraceSource.cluster,
    generals,
    missing,
    ...(run.elapsedMs === undefined ? {} : { elapsedMs: run.elapsedMs }),
  };
}

export interface RoundWatch {
  /** Stops following every general. */
  cancel(): void;
}

type WatchMethod = (
  request: { runId: string },
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
) => grpc.ClientReadableStream<RoundReport__Output>;

/**
 * Follows run `runId` on each of `ids` with WatchRun (bounded by `deadlineMs`): `onRound` for each
 * round a general closes, `onEnd` once its stream is over (decided, failed, or past the deadline).
 */
export function watchRounds(
  peers: PeerClients,
  runId: string,
  ids: readonly number[],
  deadlineMs: number,
  onRound: (id: number, report: RoundReport__Output) => void,
  onEnd: (id: number, error?: string) => void,
): RoundWatch {
  const streams: grpc.ClientReadableStream<RoundReport__Output>[] = [];
  for (const id of ids) {
    const client = peers.client(id);
    const watch = client.WatchRun as unknown as WatchMethod;
    const stream = watch.call(client, { runId }, waitForReadyMetadata(), {
      deadline: Date.now() + deadlineMs,
    });
    let ended = false;
    const end = (error?: string) => {
      if (ended) return;
      ended = true;
      onEnd(id, error);
    };
    stream.on('data', (report: RoundReport__Output) => onRound(id, report));
    stream.on('error', (error: grpc.ServiceError) => end(error.details || error.message));
    stream.on('end', () => end());
    streams.push(stream);
  }
  return {
    cancel: () => {
      for (const stream of streams) stream.cancel();
    },
  };
}
