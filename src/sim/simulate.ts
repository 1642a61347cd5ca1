import { performance } from 'node:perf_hooks';
import type { Order } from '../core/order.js';
import { type Roster, type RunResult, summarize } from '../run/result.js';
import { runInMemory } from './network.js';

export interface SimulateOptions {
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  readonly roster: Roster;
  readonly runId?: string;
}

/** The same run as `local`, in one process over the in-memory network. */
export function simulate(options: SimulateOptions): RunResult {
  const runId = options.runId ?? 'sim-1';
  const started = performance.now();
  const { reports } = runInMemory({ ...options, runId });
  return summarize({
    ...options,
    runId,
    reports,
    failures: new Map(),
    elapsedMs: performance.now() - started,
  });
}
