import { kingOf } from './phases.js';

/**
 * Exact sizes of a King run among n generals with t+1 phases, derived from its rounds rather than
 * counted: round 0 carries the order to the n-1 lieutenants; in each phase every general sends every
 * other one value(x) and then propose(y) or propose(none) (an empty batch, still a message), and the
 * king sends its x to the n-1 others. One message is one batch, one batch is one RPC.
 */

/** Messages (batches) in round r. */
export function messagesInRound(n: number, round: number): number {
  if (round === 0) return n - 1;
  return round % 3 === 0 ? n - 1 : n * (n - 1);
}

/** Messages in the whole run with no silent general: (n-1) + (t+1)(n(n-1) + n(n-1) + (n-1)). */
export function kingMessages(n: number, t: number): number {
  return n - 1 + (t + 1) * (2 * n * (n - 1) + (n - 1));
}

/**
 * Messages general `id` receives in a full run: the order (lieutenants only), then per phase n-1
 * value and n-1 propose messages, and the king's value in every phase it is not the king of.
 */
export function kingMessagesTo(n: number, t: number, id: number): number {
  let kingRounds = 0;
  for (let phase = 1; phase <= t + 1; phase++) if (kingOf(phase) !== id) kingRounds++;
  return (id === 0 ? 0 : 1) + (t + 1) * 2 * (n - 1) + kingRounds;
}
