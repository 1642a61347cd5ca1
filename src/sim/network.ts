import { type Batch, GeneralRun, isRejection, type Lie, type Step } from '../core/general.js';
import type { Order } from '../core/order.js';
import { COMMANDER } from '../core/paths.js';
import { LOYAL } from '../core/strategy.js';
import type { GeneralReport, Roster } from '../run/result.js';

export interface SimulationSpec {
  readonly runId: string;
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  readonly roster: Roster;
}

/** What passed over the in-memory wire, for tests and reports. */
export interface Delivery {
  readonly batch: Batch;
  readonly accepted: boolean;
}

export interface SimulationTrace {
  readonly deliveries: Delivery[];
  readonly lies: Array<Lie & { readonly sender: number }>;
  /** Round deadlines that had to fire (only when some general stayed silent). */
  expiries: number;
}

export interface SimulationOutcome {
  readonly reports: Map<number, GeneralReport>;
  readonly trace: SimulationTrace;
}

/**
 * Drives one run of n GeneralRuns over an in-memory FIFO network. Synchrony is modelled exactly:
 * when nothing is left in flight, every waiting general's round deadline fires.
 */
export function runInMemory(spec: SimulationSpec, keepTrace = false): SimulationOutcome {
  const { runId, n, t, order, roster } = spec;
  const generals: GeneralRun[] = [];
  for (let id = 0; id < n; id++) {
    const strategy = roster.get(id) ?? LOYAL;
    generals.push(new GeneralRun({ runId, id, n, t, strategy, ...(id === COMMANDER ? { order } : {}) }));
  }
  const rpcsSent = new Array<number>(n).fill(0);
  const rejected = new Array<number>(n).fill(0);
  const trace: SimulationTrace = { deliveries: [], lies: [], expiries: 0 };
  const queue: Batch[] = [];
  let head = 0;
  const take = (sender: number, step: Step): void => {
    queue.push(...step.outbox);
    if (keepTrace) for (const lie of step.lies) trace.lies.push({ ...lie, sender });
  };
  take(COMMANDER, generals[COMMANDER]?.start() ?? { outbox: [], lies: [], completed: [] });
  for (;;) {
    while (head < queue.length) {
      const batch = queue[head++] as Batch;
      const receiver = generals[batch.receiver];
      if (receiver === undefined) continue;
      const result = receiver.receive(batch);
      const accepted = !isRejection(result);
      if (keepTrace) trace.deliveries.push({ batch, accepted });
      if (accepted) {
        rpcsSent[batch.sender] = (rpcsSent[batch.sender] ?? 0) + 1;
        take(batch.receiver, result);
      } else {
        rejected[batch.receiver] = (rejected[batch.receiver] ?? 0) + 1;
      }
    }
    const waiting = generals.filter((g) => g.decision === undefined);
    if (waiting.length === 0) break;
    // Deadlines fall in round order: a general already ahead has not waited its round out yet.
    const earliest = Math.min(...waiting.map((g) => g.round));
    trace.expiries++;
    for (const g of waiting) if (g.round === earliest) take(g.spec.id, g.expire(earliest));
  }
  const reports = new Map<number, GeneralReport>();
  generals.forEach((g, id) => {
    reports.set(id, {
      id,
      decision: g.decision ?? order,
      tally: g.tally(),
      valuesReceived: g.receivedValues,
      valuesMissing: g.expectedValues - g.receivedValues,
      batchesRejected: rejected[id] ?? 0,
      rpcsSent: rpcsSent[id] ?? 0,
      valuesSent: g.sentValues,
      lies: g.lies,
    });
  });
  return { reports, trace };
}
