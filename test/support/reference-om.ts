import type { Order } from '../../src/core/order.js';

/**
 * Lamport, Shostak and Pease's OM(m), written as the paper's recursion (not as EIG rounds) and
 * independently of src/core: the oracle the EIG state machine must match decision for decision.
 */

export type DeterministicKind = 'loyal' | 'equivocate' | 'flip' | 'silent';

const flipped = (v: Order): Order => (v === 'ATTACK' ? 'RETREAT' : 'ATTACK');

/** DESIGN.md's strategy table, restated: what `kind` sends to `receiver` when a loyal general sends v. */
export function referenceSend(kind: DeterministicKind, v: Order, receiver: number): Order | undefined {
  switch (kind) {
    case 'loyal':
      return v;
    case 'equivocate':
      return receiver % 2 === 0 ? flipped(v) : v;
    case 'flip':
      return flipped(v);
    case 'silent':
      return undefined;
  }
}

/** Strict majority, RETREAT on a tie. */
export function referenceMajority(votes: readonly Order[]): Order {
  let attack = 0;
  for (const v of votes) if (v === 'ATTACK') attack++;
  return attack > votes.length - attack ? 'ATTACK' : 'RETREAT';
}

/**
 * OM(m) with `commander` holding `value` and the given lieutenants: what each lieutenant decides.
 * A missing value (a silent sender) is RETREAT.
 */
export function om(
  m: number,
  commander: number,
  value: Order,
  lieutenants: readonly number[],
  kindOf: (id: number) => DeterministicKind,
): Map<number, Order> {
  const received = new Map<number, Order>();
  for (const l of lieutenants) received.set(l, referenceSend(kindOf(commander), value, l) ?? 'RETREAT');
  if (m === 0) return received;
  const relayed = new Map<number, Map<number, Order>>();
  for (const j of lieutenants) {
    const others = lieutenants.filter((x) => x !== j);
    relayed.set(j, om(m - 1, j, received.get(j) ?? 'RETREAT', others, kindOf));
  }
  const decisions = new Map<number, Order>();
  for (const i of lieutenants) {
    const votes: Order[] = [received.get(i) ?? 'RETREAT'];
    for (const j of lieutenants) if (j !== i) votes.push(relayed.get(j)?.get(i) ?? 'RETREAT');
    decisions.set(i, referenceMajority(votes));
  }
  return decisions;
}

/** The decision of every lieutenant 1..n-1 in OM(t) among n generals, commander 0. */
export function referenceDecisions(
  n: number,
  t: number,
  order: Order,
  traitors: ReadonlyMap<number, DeterministicKind>,
): Map<number, Order> {
  const lieutenants: number[] = [];
  for (let id = 1; id < n; id++) lieutenants.push(id);
  return om(t, 0, order, lieutenants, (id) => traitors.get(id) ?? 'loyal');
}
