import { kingLastRound } from './king/phases.js';

/**
 * Which algorithm a run uses: oral messages OM(t), signed messages SM(t) (Lamport, Shostak, Pease
 * 1982), or the King algorithm (Berman, Garay, Perry 1989).
 */
export const Algorithm = { om: 'om', sm: 'sm', king: 'king' } as const;
export type Algorithm = (typeof Algorithm)[keyof typeof Algorithm];

export const ALGORITHMS: readonly Algorithm[] = [Algorithm.om, Algorithm.sm, Algorithm.king];

/**
 * The fewest generals that can tolerate t traitors: OM(t) and King need n > 3t; SM(t) needs only a
 * commander, t possible traitors and one loyal lieutenant left to agree, n >= t + 2.
 */
export function minimumGenerals(algorithm: Algorithm, t: number): number {
  return algorithm === Algorithm.sm ? t + 2 : 3 * t + 1;
}

/** The most traitors n generals tolerate under the algorithm (0 when n is too small for any). */
export function maximumTraitors(algorithm: Algorithm, n: number): number {
  return Math.max(0, algorithm === Algorithm.sm ? n - 2 : Math.floor((n - 1) / 3));
}

/** The run's last round: t under OM and SM (rounds 0..t), 3(t+1) under King (t+1 phases of three). */
export function lastRoundOf(algorithm: Algorithm, t: number): number {
  return algorithm === Algorithm.king ? kingLastRound(t) : t;
}

/** The algorithm as people write it: OM(3), SM(3), King(3). */
export function algorithmName(algorithm: Algorithm, t: number): string {
  return algorithm === Algorithm.king ? `King(${t})` : `${algorithm.toUpperCase()}(${t})`;
}
