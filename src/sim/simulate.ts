import { performance } from 'node:perf_hooks';
import type { Algorithm } from '../core/algorithm.js';
import type { Order } from '../core/order.js';
import { type Roster, type RunResult, summarize } from '../run/result.js';
import { runInMemory, type SimulationOutcome, type SimulationSpec } from './network.js';
import type { SigningScheme } from './signing.js';

export interface SimulateOptions {
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  readonly roster: Roster;
  readonly runId?: string;
  /** OM(t) unless said otherwise. */
  readonly algorithm?: Algorithm;
  /** SM only: fresh Ed25519 keys unless said otherwise. */
  readonly signing?: SigningScheme;
}

/** The same run as `local`, in one process over the in-memory network. */
export function simulate(
  options: SimulateOptions,
  /** Given, it receives the run's full trace (every delivery and lie), e.g. for a report. */
  onTrace?: (spec: SimulationSpec, outcome: SimulationOutcome) => void,
): RunResult {
  const runId = options.runId ?? 'sim-1';
  const started = performance.now();
  const outcome = runInMemory({ ...options, runId }, onTrace !== undefined);
  onTrace?.({ ...options, runId }, outcome);
  const { reports } = outcome;
  return summarize({
    ...options,
    runId,
    reports,
    failures: new Map(),
    elapsedMs: performance.now() - started,
  });
}
