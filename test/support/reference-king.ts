import type { Order } from '../../src/core/order.js';
import { type DeterministicKind, referenceSend } from './reference-om.js';

/**
 * The King algorithm of Berman, Garay and Perry as issue 12 states it, written as whole synchronous
 * rounds over every general at once (not as one general's state machine) and independently of
 * src/core: the oracle KingRun's decisions and phases must match.
 */

const RETREAT: Order = 'RETREAT';

export interface ReferenceKing {
  /** What each lieutenant 1..n-1 decides: its x after phase t+1. */
  readonly decisions: Map<number, Order>;
  /** x of every general after round 0 (index 0) and after each phase p (index p). */
  readonly x: Order[][];
  /** Per phase p (index p-1) and general: [c(ATTACK), c(RETREAT), P(ATTACK), P(RETREAT)]. */
  readonly counts: Array<Array<[number, number, number, number]>>;
  /** Messages that went out, propose(none) included (a silent general's never do). */
  readonly messages: number;
}

/** A traitor's propose(none) carries no value and goes out as it is; a silent one sends nothing. */
function sendProposal(kind: DeterministicKind, proposal: Order | null, to: number): Order | null | undefined {
  if (kind === 'silent') return undefined;
  if (proposal === null) return null;
  return referenceSend(kind, proposal, to);
}

export function referenceKing(
  n: number,
  t: number,
  order: Order,
  traitors: ReadonlyMap<number, DeterministicKind>,
): ReferenceKing {
  const kind = (id: number): DeterministicKind => traitors.get(id) ?? 'loyal';
  let messages = 0;
  const x: Order[] = [order];
  for (let j = 1; j < n; j++) {
    const got = referenceSend(kind(0), order, j);
    if (got !== undefined) messages++;
    x.push(got ?? RETREAT);
  }
  const history: Order[][] = [[...x]];
  const counts: Array<Array<[number, number, number, number]>> = [];
  for (let phase = 1; phase <= t + 1; phase++) {
    const king = phase - 1;
    // Round 1: value(x) from everyone to everyone; each counts its own.
    const cA = x.map((v): number => (v === 'ATTACK' ? 1 : 0));
    const cR = x.map((v): number => (v === 'RETREAT' ? 1 : 0));
    for (let s = 0; s < n; s++) {
      for (let r = 0; r < n; r++) {
        if (r === s) continue;
        const got = referenceSend(kind(s), x[s] as Order, r);
        if (got === undefined) continue;
        messages++;
        if (got === 'ATTACK') cA[r] = (cA[r] ?? 0) + 1;
        else cR[r] = (cR[r] ?? 0) + 1;
      }
    }
    const proposal = x.map((_, i): Order | null =>
      (cA[i] ?? 0) >= n - t ? 'ATTACK' : (cR[i] ?? 0) >= n - t ? 'RETREAT' : null,
    );
    // Round 2: propose(y) or propose(none) from everyone to everyone; each counts its own.
    const pA = proposal.map((p): number => (p === 'ATTACK' ? 1 : 0));
    const pR = proposal.map((p): number => (p === 'RETREAT' ? 1 : 0));
    for (let s = 0; s < n; s++) {
      for (let r = 0; r < n; r++) {
        if (r === s) continue;
        const got = sendProposal(kind(s), proposal[s] ?? null, r);
        if (got === undefined) continue;
        messages++;
        if (got === 'ATTACK') pA[r] = (pA[r] ?? 0) + 1;
        if (got === 'RETREAT') pR[r] = (pR[r] ?? 0) + 1;
      }
    }
    for (let i = 0; i < n; i++) {
      if ((pA[i] ?? 0) > t) x[i] = 'ATTACK';
      else if ((pR[i] ?? 0) > t) x[i] = 'RETREAT';
    }
    // Round 3: the king's x to every other general; who lacks n-t proposals for its x takes it.
    const kingsX = x[king] as Order;
    for (let r = 0; r < n; r++) {
      if (r === king) continue;
      const got = referenceSend(kind(king), kingsX, r);
      if (got !== undefined) messages++;
      const support = x[r] === 'ATTACK' ? (pA[r] ?? 0) : (pR[r] ?? 0);
      if (support < n - t) x[r] = got ?? RETREAT;
    }
    counts.push(x.map((_, i) => [cA[i] ?? 0, cR[i] ?? 0, pA[i] ?? 0, pR[i] ?? 0]));
    history.push([...x]);
  }
  const decisions = new Map<number, Order>();
  for (let j = 1; j < n; j++) decisions.set(j, x[j] as Order);
  return { decisions, x: history, counts, messages };
}
