import { arrangements } from '../paths.js';

/**
 * Exact sizes of an OM(t) run among n generals, derived from the EIG rounds rather than counted:
 * round 0 carries one value to each of the n-1 lieutenants; in round r each of the n-1 lieutenants
 * sends to the n-2 others one value per path of length r that avoids both.
 */

/** Values in one batch of round r. */
export function batchSize(n: number, round: number): number {
  return round === 0 ? 1 : arrangements(n - 3, round - 1);
}

/** Logical messages in the whole run: the sum over k = 1..t+1 of (n-1)(n-2)...(n-k). */
export function logicalMessages(n: number, t: number): number {
  let total = 0;
  for (let k = 1; k <= t + 1; k++) total += arrangements(n - 1, k);
  return total;
}

/** Values each lieutenant receives: one per EIG path that avoids itself, 1 + (n-2) + (n-2)(n-3) + ... */
export function valuesPerLieutenant(n: number, t: number): number {
  let total = 0;
  for (let k = 0; k <= t; k++) total += arrangements(n - 2, k);
  return total;
}

/** Batches (one per sender, receiver and round) in the whole run with no silent general: n-1 in round 0, (n-1)(n-2) per later round. */
export function rpcsExpected(n: number, t: number): number {
  return n - 1 + t * (n - 1) * (n - 2);
}

/**
 * The most values one lieutenant may hold in a run: each is a node of its EIG tree in memory, and
 * past a million a general (or a simulation of all of them in one process) runs out of memory long
 * before the run ends. n=16, t=5 holds 266,645; n=19, t=6 would hold 9.7 million.
 */
export const MAX_VALUES_PER_LIEUTENANT = 1_000_000;
