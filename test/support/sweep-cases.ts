import type { Order } from '../../src/core/order.js';
import { assignments, binomial, range, subsetsOfSize } from './combinatorics.js';
import type { DeterministicKind } from './reference-om.js';

/** The cases of an exhaustive sweep, the same for every algorithm: what a case is and how many. */

export const ORDERS: readonly Order[] = ['ATTACK', 'RETREAT'];
const KINDS: readonly DeterministicKind[] = ['equivocate', 'flip', 'silent'];

export interface SweepCase {
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  readonly traitors: ReadonlyMap<number, DeterministicKind>;
}

/** Both orders x every traitor set of size 0..t among all n generals x every strategy assignment. */
export function everyCase(n: number, t: number): SweepCase[] {
  const out: SweepCase[] = [];
  for (const order of ORDERS) {
    for (let size = 0; size <= t; size++) {
      for (const ids of subsetsOfSize(range(0, n), size)) {
        for (const kinds of assignments(KINDS, size)) {
          out.push({
            n,
            t,
            order,
            traitors: new Map(ids.map((id, i) => [id, kinds[i] ?? 'loyal'] as const)),
          });
        }
      }
    }
  }
  return out;
}

/** 2 orders x sum over k of C(n, k) traitor sets x 3^k strategy assignments. */
export function caseCount(n: number, t: number): number {
  let count = 0;
  for (let k = 0; k <= t; k++) count += binomial(n, k) * 3 ** k;
  return 2 * count;
}

export const caseLabel = ({ n, t, order, traitors }: SweepCase): string =>
  `n=${n} t=${t} ${order} traitors {${[...traitors].map(([id, kind]) => `${id}:${kind}`).join(',')}}`;
