import * as grpc from '@grpc/grpc-js';
import { COMMANDER } from '../core/paths.js';
import { formatStrategy } from '../core/strategy.js';
import type { GetTraceResponse } from './generated/byzantine/v1/GetTraceResponse.js';
import type { RoundReport } from './generated/byzantine/v1/RoundReport.js';
import type { WatchRunRequest__Output } from './generated/byzantine/v1/WatchRunRequest.js';
import { phaseToWire } from './phase-wire.js';
import { toWire, WireOrder, wireAlgorithm } from './proto.js';
import type { RunDriver } from './run-driver.js';
import type { ClosedRound } from './run-record.js';

/** The GetTrace answer for one run: what the general received and the lies it told. */
export function traceResponse(id: number, driver: RunDriver): GetTraceResponse {
  const { run, record } = driver;
  const { spec } = run;
  const decision = run.isCommander ? undefined : run.decision;
  return {
    id,
    runId: driver.runId,
    generals: spec.n,
    t: spec.t,
    strategy: formatStrategy(spec.strategy),
    order: id === COMMANDER && spec.order !== undefined ? toWire(spec.order) : WireOrder.ORDER_UNSPECIFIED,
    received: record.received.map((b) => ({
      round: b.round,
      sender: b.sender,
      values: Array.from(b.values, (c) => (c === 'A' ? WireOrder.ATTACK : WireOrder.RETREAT)),
      rejected: b.rejected ?? '',
      chains: (b.signers ?? []).map((signers) => ({ signers: [...signers], signatures: [] })),
      invalid: b.signers === undefined ? [] : b.signers.map((_, i) => b.invalid?.includes(i) ?? false),
    })),
    lies: record.lies.map((lie) => ({
      round: lie.round,
      receiver: lie.receiver,
      path: [...lie.path],
      before: toWire(lie.before),
      after: lie.after === undefined ? WireOrder.ORDER_UNSPECIFIED : toWire(lie.after),
    })),
    rounds: record.rounds.map(roundReport),
    decided: decision !== undefined,
    decision: decision === undefined ? WireOrder.ORDER_UNSPECIFIED : toWire(decision),
    tally: decision === undefined ? null : run.tally(),
    algorithm: wireAlgorithm(driver.algorithm),
    phases: run.phases().map(phaseToWire),
  };
}

/** A closed round as the wire reports it (GetDecision, GetTrace, WatchRun). */
export const roundReport = (closed: ClosedRound): RoundReport => ({
  round: closed.round,
  batchesExpected: closed.batchesExpected,
  batchesReceived: closed.batchesReceived,
  timedOut: closed.timedOut,
  elapsedMs: closed.elapsedMs,
});

/**
 * WatchRun: the rounds already closed, then each one as it closes; ends when the run is over, when
 * the caller goes away or its deadline passes.
 */
export function watchRunHandler(
  find: (runId: string) => RunDriver | undefined,
): grpc.handleServerStreamingCall<WatchRunRequest__Output, RoundReport> {
  return (call) => {
    const driver = find(call.request.runId);
    if (driver === undefined) {
      call.emit('error', {
        code: grpc.status.NOT_FOUND,
        details: `unknown run "${call.request.runId}"`,
      } satisfies Partial<grpc.StatusObject>);
      return;
    }
    let stop = () => {};
    const end = () => {
      stop();
      call.end();
    };
    stop = driver.record.watch({
      round: (closed) => {
        call.write(roundReport(closed));
      },
      finished: end,
    });
    call.once('cancelled', () => stop());
  };
}
