import * as grpc from '@grpc/grpc-js';
import type { Algorithm } from '../core/algorithm.js';
import { MAX_VALUES_PER_LIEUTENANT, valuesPerLieutenant } from '../core/om/counts.js';
import type { Order } from '../core/order.js';
import { COMMANDER } from '../core/paths.js';
import { RpcError } from './errors.js';
import type { RunAlgorithmRequest__Output } from './generated/byzantine/v1/RunAlgorithmRequest.js';
import { algorithmFromWire, orderFromWire } from './proto.js';

/**
 * What a caller may ask of a general, bounded before any of it reaches a timer, a log line or an
 * allocation. A run id is a name people read in logs and reports: letters, digits and . _ : -,
 * never a line break or a control character that could forge a log line.
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const RUN_ID_RULE = '1..128 characters: letters, digits and . _ : - (starting with a letter or digit)';
/** Node's timers fire at once past 2^31-1 ms; ten minutes is more than any round should wait. */
export const MAX_ROUND_TIMEOUT_MS = 600_000;

export function checkRunId(runId: string): void {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `run_id ${JSON.stringify(runId.slice(0, 140))} is not a run id: expected ${RUN_ID_RULE}`,
    );
  }
}

export interface JoinRequest {
  readonly runId: string;
  readonly t: number;
  readonly algorithm: Algorithm;
  /** The commander's order; undefined for a lieutenant. */
  readonly order: Order | undefined;
  /** 0: the general's own ROUND_TIMEOUT_MS. */
  readonly roundTimeoutMs: number;
}

/**
 * A RunAlgorithm request checked against general `id` among `n`: every field a caller controls,
 * each refusal an explicit status that names the bad value and what is expected.
 */
export function joinRequest(request: RunAlgorithmRequest__Output, id: number, n: number): JoinRequest {
  const { runId, generals, t, roundTimeoutMs } = request;
  checkRunId(runId);
  const algorithm = algorithmFromWire(request.algorithm);
  if (algorithm === undefined) {
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `algorithm ${String(request.algorithm)} is not one this general runs: expected OM (1), SM (2) or KING (3)`,
    );
  }
  const order = orderFromWire(request.order);
  if (order === undefined) {
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `order ${String(request.order)} is not an order: expected ATTACK (1) or RETREAT (2), or unspecified (0) for a lieutenant`,
    );
  }
  if (id === COMMANDER && order === null) {
    throw new RpcError(grpc.status.INVALID_ARGUMENT, 'the commander needs an order: ATTACK or RETREAT');
  }
  if (roundTimeoutMs > MAX_ROUND_TIMEOUT_MS) {
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `round_timeout_ms ${roundTimeoutMs} is out of range: expected 1..${MAX_ROUND_TIMEOUT_MS}, or 0 for the general's own`,
    );
  }
  if (generals !== n) {
    throw new RpcError(
      grpc.status.FAILED_PRECONDITION,
      `run ${runId} is for ${generals} generals, but general ${id} has ${n} in PEERS`,
    );
  }
  if (t > n - 2) {
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `t=${t} is too deep for ${n} generals (at most ${n - 2})`,
    );
  }
  if (algorithm === 'om' && valuesPerLieutenant(n, t) > MAX_VALUES_PER_LIEUTENANT) {
    throw new RpcError(
      grpc.status.RESOURCE_EXHAUSTED,
      `t=${t} with ${n} generals means ${valuesPerLieutenant(n, t).toLocaleString('en-US')} values per lieutenant; this general holds at most ${MAX_VALUES_PER_LIEUTENANT.toLocaleString('en-US')}`,
    );
  }
  return { runId, t, algorithm, order: id === COMMANDER ? (order ?? undefined) : undefined, roundTimeoutMs };
}
