import type { Algorithm } from '../core/algorithm.js';
import type { Order } from '../core/order.js';
import { DETERMINISTIC_TRAITOR_STRATEGIES, type Strategy } from '../core/strategy.js';

/**
 * The cases of an exhaustive check, numbered so that any slice of them can be rebuilt from its
 * index alone (a worker needs only the shape and a range). No I/O.
 *
 * Within a shape, cases come in blocks by traitor count k = 0..maxTraitors; inside a block, by
 * traitor set (ascending ids, lexicographic), then by strategy assignment (the first traitor's
 * strategy varies slowest), then by order. Smaller counterexamples therefore come first.
 */

/** One (n, t) pair to sweep, with how many traitors to try (t by default; more is allowed). */
export interface Shape {
  readonly n: number;
  readonly t: number;
  readonly maxTraitors: number;
  /** OM(t) unless said otherwise. */
  readonly algorithm?: Algorithm;
}

export interface Case {
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  /** Traitor id to strategy, ids ascending. */
  readonly traitors: ReadonlyMap<number, Strategy>;
  /** OM(t) unless said otherwise. */
  readonly algorithm?: Algorithm;
}

export const ORDERS: readonly Order[] = ['ATTACK', 'RETREAT'];

/** C(k, r), exact for the sizes a sweep can reach. */
export function binomial(k: number, r: number): number {
  if (r < 0 || r > k) return 0;
  let out = 1;
  for (let i = 1; i <= r; i++) out = (out * (k - r + i)) / i;
  return Math.round(out);
}

function blockSize(n: number, k: number, strategies: number): number {
  return binomial(n, k) * strategies ** k * ORDERS.length;
}

/** Cases in a shape: 2 orders x sum over k of C(n, k) x s^k, s the number of strategies. */
export function caseCount(shape: Shape, strategies = DETERMINISTIC_TRAITOR_STRATEGIES.length): number {
  let total = 0;
  for (let k = 0; k <= Math.min(shape.maxTraitors, shape.n); k++) total += blockSize(shape.n, k, strategies);
  return total;
}

/** The `rank`-th k-subset of 0..n-1 in lexicographic order. */
export function subsetAt(n: number, k: number, rank: number): number[] {
  const out: number[] = [];
  let rest = rank;
  let next = 0;
  for (let i = 0; i < k; i++) {
    for (;;) {
      const withNext = binomial(n - 1 - next, k - 1 - i);
      if (rest < withNext) break;
      rest -= withNext;
      next++;
    }
    out.push(next);
    next++;
  }
  return out;
}

/** Case number `index` (0-based) of `shape`; throws RangeError past the end. */
export function caseAt(
  shape: Shape,
  index: number,
  strategies: readonly Strategy[] = DETERMINISTIC_TRAITOR_STRATEGIES,
): Case {
  const { n, t } = shape;
  let rest = index;
  for (let k = 0; k <= Math.min(shape.maxTraitors, n); k++) {
    const size = blockSize(n, k, strategies.length);
    if (rest >= size) {
      rest -= size;
      continue;
    }
    const order = ORDERS[rest % ORDERS.length] as Order;
    rest = Math.floor(rest / ORDERS.length);
    const assignments = strategies.length ** k;
    let assignment = rest % assignments;
    const ids = subsetAt(n, k, Math.floor(rest / assignments));
    const picks: Strategy[] = new Array(k);
    for (let i = k - 1; i >= 0; i--) {
      picks[i] = strategies[assignment % strategies.length] as Strategy;
      assignment = Math.floor(assignment / strategies.length);
    }
    const traitors = new Map<number, Strategy>(ids.map((id, i) => [id, picks[i] as Strategy]));
    return {
      n,
      t,
      order,
      traitors,
      ...(shape.algorithm === undefined ? {} : { algorithm: shape.algorithm }),
    };
  }
  throw new RangeError(`case ${index} is past the ${caseCount(shape, strategies.length)} cases of n=${n}`);
}
