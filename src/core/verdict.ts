import type { Order } from './order.js';
import { COMMANDER } from './paths.js';

export interface Verdict {
  /** IC1: every loyal lieutenant decided alike. */
  readonly ic1: boolean;
  /** IC2: with a loyal commander, every loyal lieutenant decided its order (vacuous otherwise). */
  readonly ic2: boolean;
  /** The loyal lieutenants' common decision, or null when they split or none is left to decide. */
  readonly consensus: Order | null;
  /** Loyal lieutenants whose decision differs from the order of a loyal commander. */
  readonly ic2Violators: readonly number[];
  /** Loyal lieutenants grouped by decision, for explaining an IC1 failure. */
  readonly byDecision: Readonly<Record<Order, readonly number[]>>;
}

export interface VerdictInput {
  readonly order: Order;
  /** Generals counted as faulty: traitors, and any that crashed or could not be reached. */
  readonly faulty: ReadonlySet<number>;
  /** Decisions of the lieutenants that reported one. */
  readonly decisions: ReadonlyMap<number, Order>;
}

/** Judges a run by Lamport's interactive consistency conditions over the loyal lieutenants. */
export function judge({ order, faulty, decisions }: VerdictInput): Verdict {
  const byDecision: Record<Order, number[]> = { ATTACK: [], RETREAT: [] };
  for (const [id, decision] of [...decisions].sort(([a], [b]) => a - b)) {
    if (id === COMMANDER || faulty.has(id)) continue;
    byDecision[decision].push(id);
  }
  const ic1 = byDecision.ATTACK.length === 0 || byDecision.RETREAT.length === 0;
  const loyalCommander = !faulty.has(COMMANDER);
  const ic2Violators = loyalCommander ? (order === 'ATTACK' ? byDecision.RETREAT : byDecision.ATTACK) : [];
  const decided = byDecision.ATTACK.length + byDecision.RETREAT.length;
  const consensus = !ic1 || decided === 0 ? null : byDecision.ATTACK.length > 0 ? 'ATTACK' : 'RETREAT';
  return { ic1, ic2: ic2Violators.length === 0, consensus, ic2Violators, byDecision };
}
