import { lettersOf } from '../core/order.js';
import { formatStrategy, LOYAL } from '../core/strategy.js';
import type { SimulationOutcome, SimulationSpec } from '../sim/network.js';
import { type GeneralTrace, type ReceivedBatch, type RunTrace, type ToldLie, TraceSource } from './trace.js';

/** The trace of an in-memory run (runInMemory with keepTrace), general by general. */
export function traceFromSimulation(spec: SimulationSpec, outcome: SimulationOutcome): RunTrace {
  const received = new Map<number, ReceivedBatch[]>();
  const lies = new Map<number, ToldLie[]>();
  for (let id = 0; id < spec.n; id++) {
    received.set(id, []);
    lies.set(id, []);
  }
  for (const { batch, accepted, invalid } of outcome.trace.deliveries) {
    received.get(batch.receiver)?.push({
      round: batch.round,
      from: batch.sender,
      values: lettersOf(batch.values),
      ...(accepted ? {} : { rejected: 'rejected' }),
      ...(batch.chains === undefined ? {} : { chains: batch.chains.map((c) => c.signers.join('.')) }),
      ...(invalid === undefined || invalid.length === 0 ? {} : { invalid: [...invalid] }),
    });
  }
  for (const lie of outcome.trace.lies) {
    lies.get(lie.sender)?.push({
      round: lie.round,
      to: lie.receiver,
      path: lie.path,
      before: lie.before,
      after: lie.after ?? null,
    });
  }
  const generals = new Map<number, GeneralTrace>();
  for (let id = 0; id < spec.n; id++) {
    const report = outcome.reports.get(id);
    generals.set(id, {
      id,
      strategy: formatStrategy(spec.roster.get(id) ?? LOYAL),
      received: received.get(id) ?? [],
      lies: lies.get(id) ?? [],
      rounds: [],
      ...(report === undefined || id === 0 ? {} : { decision: report.decision, tally: report.tally }),
      ...(report?.phases === undefined ? {} : { phases: report.phases }),
    });
  }
  return {
    runId: spec.runId,
    algorithm: spec.algorithm ?? 'om',
    n: spec.n,
    t: spec.t,
    order: spec.order,
    source: TraceSource.simulation,
    generals,
    missing: new Map(),
  };
}
