/**
 * SM(t): the most signed chains a run can carry. The commander signs n-1; each lieutenant relays
 * each of the two values at most once, to at most the n-2 other lieutenants, whatever the traitors
 * do (a traitor only relays values it has seen, since it cannot forge the commander's signature).
 */
export function signedChainsAtMost(n: number, t: number): number {
  return t === 0 ? n - 1 : n - 1 + 2 * (n - 1) * (n - 2);
}
