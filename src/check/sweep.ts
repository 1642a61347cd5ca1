import { type Algorithm, minimumGenerals } from '../core/algorithm.js';
import { kingMessages } from '../core/king/counts.js';
import { logicalMessages } from '../core/om/counts.js';
import type { Order } from '../core/order.js';
import { COMMANDER } from '../core/paths.js';
import { signedChainsAtMost } from '../core/sm/counts.js';
import { formatStrategy, type Strategy } from '../core/strategy.js';
import { judge } from '../core/verdict.js';
import { runInMemory } from '../sim/network.js';
import { SigningScheme } from '../sim/signing.js';
import { type Case, caseAt, caseCount, type Shape } from './cases.js';

/**
 * The exhaustive check, pure: run cases in memory, judge each by IC1 and IC2, merge slices, and
 * compare what was found with what the theory of OM(t), SM(t) or King predicts. No I/O, no clock.
 */

/** A case whose loyal lieutenants broke IC1 or IC2, in full. */
export interface Counterexample {
  readonly n: number;
  readonly t: number;
  /** Present for SM and King only, so OM's counterexamples read as before. */
  readonly algorithm?: Algorithm;
  readonly order: Order;
  /** [id, strategy] for each traitor, ids ascending. */
  readonly traitors: ReadonlyArray<readonly [number, string]>;
  /** [id, decision] for each loyal lieutenant, ids ascending. */
  readonly decisions: ReadonlyArray<readonly [number, Order]>;
  readonly ic1: boolean;
  readonly ic2: boolean;
  /** Where it sits in the sweep: shape number and case number within the shape. */
  readonly shape: number;
  readonly index: number;
}

export interface CaseOutcome {
  readonly ic1: boolean;
  readonly ic2: boolean;
  readonly decisions: ReadonlyArray<readonly [number, Order]>;
}

/**
 * Runs one case in memory and judges it over the loyal lieutenants. SM cases sign with a keyed hash
 * per general: as unforgeable inside one process (each general holds only its own key) and much
 * cheaper to check than Ed25519, which `simulate` uses.
 */
export function runCase(c: Case): CaseOutcome {
  const { reports } = runInMemory({
    runId: 'check',
    n: c.n,
    t: c.t,
    order: c.order,
    roster: c.traitors,
    ...(c.algorithm === undefined ? {} : { algorithm: c.algorithm, signing: SigningScheme.keyedHash }),
  });
  const decisions = new Map<number, Order>();
  for (const [id, report] of reports) decisions.set(id, report.decision);
  const faulty = new Set(c.traitors.keys());
  const verdict = judge({ order: c.order, faulty, decisions });
  const loyal: Array<readonly [number, Order]> = [];
  for (let id = 1; id < c.n; id++) {
    const decision = decisions.get(id);
    if (!faulty.has(id) && decision !== undefined) loyal.push([id, decision]);
  }
  return { ic1: verdict.ic1, ic2: verdict.ic2, decisions: loyal };
}

/** What a slice of one shape found. Counts split by whether the case is within the bound (<= t). */
export interface ShapeTally {
  readonly shape: number;
  cases: number;
  violations: number;
  ic1Violations: number;
  ic2Violations: number;
  /** Violations among cases with at most t traitors: the ones the theory speaks about. */
  violationsWithinT: number;
  first: Counterexample | undefined;
}

export function emptyTally(shape: number): ShapeTally {
  return {
    shape,
    cases: 0,
    violations: 0,
    ic1Violations: 0,
    ic2Violations: 0,
    violationsWithinT: 0,
    first: undefined,
  };
}

/** Runs cases [start, end) of shape number `shapeIndex`. */
export function sweepSlice(
  shapes: readonly Shape[],
  shapeIndex: number,
  start: number,
  end: number,
  strategies?: readonly Strategy[],
): ShapeTally {
  const shape = shapes[shapeIndex];
  if (shape === undefined) throw new RangeError(`no shape ${shapeIndex}`);
  const tally = emptyTally(shapeIndex);
  for (let index = start; index < end; index++) {
    const c = caseAt(shape, index, strategies);
    const outcome = runCase(c);
    tally.cases++;
    if (outcome.ic1 && outcome.ic2) continue;
    tally.violations++;
    if (!outcome.ic1) tally.ic1Violations++;
    if (!outcome.ic2) tally.ic2Violations++;
    if (c.traitors.size <= c.t) tally.violationsWithinT++;
    tally.first ??= {
      n: c.n,
      t: c.t,
      ...(c.algorithm === 'sm' || c.algorithm === 'king' ? { algorithm: c.algorithm } : {}),
      order: c.order,
      traitors: [...c.traitors].map(([id, s]) => [id, formatStrategy(s)] as const),
      decisions: outcome.decisions,
      ic1: outcome.ic1,
      ic2: outcome.ic2,
      shape: shapeIndex,
      index,
    };
  }
  return tally;
}

/** Adds `part` into `into` (same shape); keeps the earlier counterexample. */
export function mergeTally(into: ShapeTally, part: ShapeTally): ShapeTally {
  into.cases += part.cases;
  into.violations += part.violations;
  into.ic1Violations += part.ic1Violations;
  into.ic2Violations += part.ic2Violations;
  into.violationsWithinT += part.violationsWithinT;
  if (part.first !== undefined && (into.first === undefined || part.first.index < into.first.index)) {
    into.first = part.first;
  }
  return into;
}

/** What the theory predicts for a shape. */
export const Prediction = {
  /**
   * No violation with at most t traitors: OM(t) with n > 3t (Lamport, Shostak, Pease, theorem 1),
   * SM(t) with n >= t+2 (theorem 2: any number of traitors, given unforgeable signatures).
   */
  none: 'none',
  /** OM(t) with n <= 3t: some traitor behaviour with at most t traitors breaks IC1 or IC2. */
  some: 'some',
  /**
   * King with n <= 3t: nothing is promised, and whether these strategies are enough to break it
   * depends on the shape (they do at n=3, t=1; at n=6, t=2 only random ones do): either finding holds.
   */
  open: 'open',
} as const;
export type Prediction = (typeof Prediction)[keyof typeof Prediction];

export function predictionFor(shape: Shape): Prediction {
  const algorithm = shape.algorithm ?? 'om';
  if (shape.n >= minimumGenerals(algorithm, shape.t)) return Prediction.none;
  return algorithm === 'king' ? Prediction.open : Prediction.some;
}

/** Whether a finished shape matches the prediction (violations beyond t traitors are not judged). */
export function asPredicted(shape: Shape, tally: ShapeTally): boolean {
  switch (predictionFor(shape)) {
    case Prediction.none:
      return tally.violationsWithinT === 0;
    case Prediction.some:
      return tally.violationsWithinT > 0;
    case Prediction.open:
      return true;
  }
}

/** A slice of work: shape number and case range. */
export interface Slice {
  readonly shape: number;
  readonly start: number;
  readonly end: number;
}

/** Cuts every shape into slices of about `costPerSlice` logical messages each. */
export function slicesOf(shapes: readonly Shape[], costPerSlice: number): Slice[] {
  const out: Slice[] = [];
  shapes.forEach((shape, index) => {
    const total = caseCount(shape);
    const perCase = Math.max(1, caseCost(shape));
    const size = Math.max(1, Math.floor(costPerSlice / perCase));
    for (let start = 0; start < total; start += size) {
      out.push({ shape: index, start, end: Math.min(total, start + size) });
    }
  });
  return out;
}

/** The sweep's estimated cost, in logical messages delivered. */
export function sweepCost(shapes: readonly Shape[]): number {
  return shapes.reduce((sum, s) => sum + caseCount(s) * caseCost(s), 0);
}

/** Checking one signature costs about as much as delivering 20 OM values (measured, roughly). */
const SIGNATURE_COST = 20;

/** One case's cost in OM values: its logical messages (King: its messages), or under SM its signature checks at most. */
export function caseCost(shape: Shape): number {
  if (shape.algorithm === 'king') return kingMessages(shape.n, shape.t);
  if (shape.algorithm !== 'sm') return logicalMessages(shape.n, shape.t);
  return SIGNATURE_COST * signedChainsAtMost(shape.n, shape.t) * (shape.t + 1);
}

/** The `byzantine simulate` command that replays a counterexample. */
export function replayCommand(c: Counterexample): string {
  const traitors = c.traitors.length === 0 ? 'none' : c.traitors.map(([id, s]) => `${id}:${s}`).join(',');
  const algorithm = c.algorithm ?? 'om';
  const unsafe = c.n < minimumGenerals(algorithm, c.t) ? ' --allow-unsafe' : '';
  const flag = algorithm === 'om' ? '' : ` --algorithm ${algorithm}`;
  return `byzantine simulate${flag} --generals ${c.n} --t ${c.t} --order ${c.order} --traitors ${traitors}${unsafe}`;
}

/** Explains a counterexample in words: who lied how, and what the loyal lieutenants decided. */
export function describeCounterexample(c: Counterexample): string[] {
  const commanderTraitor = c.traitors.some(([id]) => id === COMMANDER);
  const failed = [!c.ic1 ? 'IC1' : '', !c.ic2 ? 'IC2' : ''].filter(Boolean).join(' and ');
  const traitors = c.traitors.map(([id, s]) => `${id}:${s}`).join(', ') || 'none';
  return [
    `${c.algorithm === 'sm' ? 'SM: ' : c.algorithm === 'king' ? 'King: ' : ''}n=${c.n} t=${c.t} order ${c.order}, commander ${commanderTraitor ? 'is a traitor' : 'is loyal'}`,
    `traitors: ${traitors}`,
    `loyal lieutenants decided: ${c.decisions.map(([id, d]) => `${id}=${d}`).join(', ')}`,
    `${failed} ${!c.ic1 && !c.ic2 ? 'fail' : 'fails'}`,
  ];
}
