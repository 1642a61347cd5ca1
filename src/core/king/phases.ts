import { KingRoundKind } from '../run/types.js';

/**
 * Where a round sits in a King run: round 0 is the commander's order; phase p = 1..t+1 has rounds
 * 3(p-1)+1 (every general sends value(x)), 3(p-1)+2 (every general sends propose(y) or
 * propose(none)) and 3p (the king of the phase, general p-1, sends its x).
 */

/** The last round of a King run with t+1 phases. */
export function kingLastRound(t: number): number {
  return 3 * (t + 1);
}

/** The phase a round belongs to: 0 for round 0, else 1..t+1. */
export function phaseOf(round: number): number {
  return round === 0 ? 0 : Math.ceil(round / 3);
}

/** The king of phase p: general p-1. */
export function kingOf(phase: number): number {
  return phase - 1;
}

/** What a round is for. */
export function roundKind(round: number): KingRoundKind {
  if (round === 0) return KingRoundKind.order;
  const place = (round - 1) % 3;
  return place === 0 ? KingRoundKind.value : place === 1 ? KingRoundKind.propose : KingRoundKind.king;
}

/** The first round of phase p (its value round). */
export function firstRoundOf(phase: number): number {
  return 3 * (phase - 1) + 1;
}
