/** Which of the paper's algorithms a run uses: oral messages OM(t) or signed messages SM(t). */
export const Algorithm = { om: 'om', sm: 'sm' } as const;
export type Algorithm = (typeof Algorithm)[keyof typeof Algorithm];

export const ALGORITHMS: readonly Algorithm[] = [Algorithm.om, Algorithm.sm];

/**
 * The fewest generals that can tolerate t traitors: OM(t) needs n > 3t; SM(t) needs only a
 * commander, t possible traitors and one loyal lieutenant left to agree, n >= t + 2.
 */
export function minimumGenerals(algorithm: Algorithm, t: number): number {
  return algorithm === Algorithm.om ? 3 * t + 1 : t + 2;
}

/** The most traitors n generals tolerate under the algorithm (0 when n is too small for any). */
export function maximumTraitors(algorithm: Algorithm, n: number): number {
  return Math.max(0, algorithm === Algorithm.om ? Math.floor((n - 1) / 3) : n - 2);
}
