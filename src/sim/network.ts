import type { Algorithm } from '../core/algorithm.js';
import { KingRun } from '../core/king/king-run.js';
import { OmRun } from '../core/om/om-run.js';
import type { Order } from '../core/order.js';
import { COMMANDER } from '../core/paths.js';
import {
  type Batch,
  type GeneralSpec,
  isRejection,
  type Lie,
  type ProtocolRun,
  type Step,
} from '../core/run/types.js';
import { SmRun } from '../core/sm/sm-run.js';
import { LOYAL } from '../core/strategy.js';
import type { GeneralReport, Roster } from '../run/result.js';
import { type EphemeralSigning, ephemeralSigning, SigningScheme } from './signing.js';

export interface SimulationSpec {
  readonly runId: string;
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  readonly roster: Roster;
  /** OM(t) unless said otherwise. */
  readonly algorithm?: Algorithm;
  /** SM only: how the run's fresh keys sign (Ed25519 unless said otherwise). */
  readonly signing?: SigningScheme;
}

/** What passed over the in-memory wire, for tests and reports. */
export interface Delivery {
  readonly batch: Batch;
  readonly accepted: boolean;
  /** SM: positions of values the receiver ignored because their chain did not verify. */
  readonly invalid?: readonly number[];
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

/** One general's run under the spec's algorithm; SM generals each get only their own key. */
function generalRun(
  spec: GeneralSpec,
  algorithm: Algorithm,
  keys: EphemeralSigning | undefined,
): ProtocolRun {
  if (algorithm === 'king') return new KingRun(spec);
  if (algorithm === 'om' || keys === undefined) return new OmRun(spec);
  const signer = keys.signers[spec.id];
  if (signer === undefined) throw new RangeError(`no key for general ${spec.id}`);
  return new SmRun(spec, { signer, verifier: keys.verifier });
}

/**
 * Drives one run of n generals (OM, SM or King) over an in-memory FIFO network. Synchrony is modelled
 * exactly: when nothing is left in flight, every waiting general's round deadline fires.
 */
export function runInMemory(spec: SimulationSpec, keepTrace = false): SimulationOutcome {
  const { runId, n, t, order, roster } = spec;
  const algorithm = spec.algorithm ?? 'om';
  const keys = algorithm === 'sm' ? ephemeralSigning(n, spec.signing ?? SigningScheme.ed25519) : undefined;
  const generals: ProtocolRun[] = [];
  for (let id = 0; id < n; id++) {
    const strategy = roster.get(id) ?? LOYAL;
    const general = { runId, id, n, t, strategy, ...(id === COMMANDER ? { order } : {}) };
    generals.push(generalRun(general, algorithm, keys));
  }
  const rpcsSent = new Array<number>(n).fill(0);
  const rejected = new Array<number>(n).fill(0);
  const invalid = new Array<number>(n).fill(0);
  const trace: SimulationTrace = { deliveries: [], lies: [], expiries: 0 };
  const queue: Batch[] = [];
  let head = 0;
  const take = (sender: number, step: Step): void => {
    queue.push(...step.outbox);
    if (keepTrace) for (const lie of step.lies) trace.lies.push({ ...lie, sender });
  };
  // Every general joins; only those with something to send in round 0 (the commander) say anything.
  generals.forEach((g, id) => {
    take(id, g.start());
  });
  for (;;) {
    while (head < queue.length) {
      const batch = queue[head++] as Batch;
      const receiver = generals[batch.receiver];
      if (receiver === undefined) continue;
      const result = receiver.receive(batch);
      const accepted = !isRejection(result);
      if (keepTrace) {
        const ignored = accepted ? result.invalid : undefined;
        trace.deliveries.push({ batch, accepted, ...(ignored === undefined ? {} : { invalid: ignored }) });
      }
      if (accepted) {
        rpcsSent[batch.sender] = (rpcsSent[batch.sender] ?? 0) + 1;
        invalid[batch.receiver] = (invalid[batch.receiver] ?? 0) + (result.invalid?.length ?? 0);
        take(batch.receiver, result);
      } else {
        rejected[batch.receiver] = (rejected[batch.receiver] ?? 0) + 1;
      }
    }
    const waiting = generals.filter((g) => !g.finished);
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
      // Under SM nothing is expected in advance, so nothing is missing.
      valuesMissing: Math.max(0, g.expectedValues - g.receivedValues),
      batchesRejected: rejected[id] ?? 0,
      rpcsSent: rpcsSent[id] ?? 0,
      valuesSent: g.sentValues,
      lies: g.lies,
      ...(algorithm === 'sm' ? { valuesInvalid: invalid[id] ?? 0 } : {}),
      ...(algorithm === 'king' ? { phases: g.phases() } : {}),
    });
  });
  return { reports, trace };
}
