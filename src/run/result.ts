import { type Algorithm, minimumGenerals } from '../core/algorithm.js';
import { kingMessages } from '../core/king/counts.js';
import { kingOf } from '../core/king/phases.js';
import { logicalMessages } from '../core/om/counts.js';
import type { Order, Tally } from '../core/order.js';
import { COMMANDER } from '../core/paths.js';
import type { PhaseRecord } from '../core/run/types.js';
import { formatStrategy, LOYAL, type Strategy } from '../core/strategy.js';
import { judge } from '../core/verdict.js';

/** Who the traitors are and how they lie: known to the client only to judge the verdict. */
export type Roster = ReadonlyMap<number, Strategy>;

/** What one general reported at the end of a run (or why it could not). */
export interface GeneralReport {
  readonly id: number;
  readonly decision: Order;
  readonly tally: Tally;
  readonly valuesReceived: number;
  readonly valuesMissing: number;
  readonly batchesRejected: number;
  readonly rpcsSent: number;
  readonly valuesSent: number;
  readonly lies: number;
  /** SM: values ignored because their signed chain did not verify. */
  readonly valuesInvalid?: number;
  /** King: its view of each phase it finished. */
  readonly phases?: readonly PhaseRecord[];
}

export interface GeneralResult {
  readonly id: number;
  readonly role: 'commander' | 'lieutenant';
  readonly traitor: boolean;
  readonly strategy: string;
  readonly decision: Order | null;
  readonly tally: Tally | null;
  readonly valuesReceived: number;
  readonly valuesMissing: number;
  /** SM: values it ignored because their signed chain did not verify. */
  readonly valuesInvalid?: number;
  readonly lies: number;
  readonly reachable: boolean;
  readonly error?: string;
  /** An injected fault (`crash@1`, `delay 300ms`, `drop>2`): judged as faulty, like a traitor. */
  readonly fault?: string;
  /** King: x after round 0 and after each phase it finished, one letter each (A or R). */
  readonly xByPhase?: string;
  /** King: its last finished phase (the tallies c and P that decided it, the king's value); null if none. */
  readonly lastPhase?: PhaseRecord | null;
}

/** King: one phase of the run as the generals reported it. */
export interface PhaseOutcome {
  readonly phase: number;
  readonly king: number;
  /** Each general's x at the end of the phase, by id; null where the general did not report it. */
  readonly x: ReadonlyArray<Order | null>;
}

export interface RunResult {
  readonly runId: string;
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  readonly algorithm: Algorithm;
  readonly generals: readonly GeneralResult[];
  readonly consensus: Order | null;
  readonly ic1: boolean;
  readonly ic2: boolean;
  readonly ic2Violators: readonly number[];
  readonly split: Readonly<Record<Order, readonly number[]>>;
  /** Too few generals for t: n <= 3t under OM(t) and King, n < t+2 under SM(t); nothing is promised. */
  readonly unsafe: boolean;
  /** More traitors than t: the algorithm promises nothing. */
  readonly tooManyTraitors: boolean;
  readonly unreachable: readonly number[];
  /**
   * OM: `expected` the run's logical messages (exact, known in advance), `delivered` the values
   * the generals stored. SM: how many chains travel depends on the traitors, so `expected` is the
   * chains the generals sent (genuine or tampered), `delivered` the chains accepted as valid, and
   * `invalid` the chains ignored because a signature or the signer list did not check out.
   * King: `expected` the run's messages (exact, propose(none) included), `delivered` those received.
   */
  readonly messages: { readonly expected: number; readonly delivered: number; readonly invalid?: number };
  readonly rpcs: number;
  readonly elapsedMs: number;
  /** King: per phase, its king and each general's x at the end. */
  readonly phases?: readonly PhaseOutcome[];
}

export interface RunFacts {
  readonly runId: string;
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  /** OM unless said otherwise. */
  readonly algorithm?: Algorithm;
  readonly roster: Roster;
  readonly reports: ReadonlyMap<number, GeneralReport>;
  /** Why a general did not report, by id. */
  readonly failures: ReadonlyMap<number, string>;
  readonly elapsedMs: number;
  /** Generals with an injected fault, described: counted as faulty for IC1 and IC2. */
  readonly faulted?: ReadonlyMap<number, string>;
}

export const ExitCode = { agreed: 0, violated: 1, badInput: 2, unreachable: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Joins the generals' reports with the roster and judges the run. */
export function summarize(facts: RunFacts): RunResult {
  const { n, t, order, roster, reports, failures } = facts;
  const algorithm = facts.algorithm ?? 'om';
  const generals: GeneralResult[] = [];
  const decisions = new Map<number, Order>();
  const faulty = new Set<number>([...roster.keys(), ...(facts.faulted?.keys() ?? [])]);
  let delivered = 0;
  let sent = 0;
  let invalid = 0;
  let rpcs = 0;
  for (let id = 0; id < n; id++) {
    const strategy = roster.get(id) ?? LOYAL;
    const report = reports.get(id);
    const base = {
      id,
      role: id === COMMANDER ? ('commander' as const) : ('lieutenant' as const),
      traitor: roster.has(id),
      strategy: formatStrategy(strategy),
      ...(facts.faulted?.has(id) ? { fault: facts.faulted.get(id) ?? '' } : {}),
    };
    if (report === undefined) {
      // A general that cannot answer is judged as faulty, like a traitor.
      faulty.add(id);
      generals.push({
        ...base,
        decision: null,
        tally: null,
        valuesReceived: 0,
        valuesMissing: 0,
        lies: 0,
        reachable: false,
        error: failures.get(id) ?? 'no report',
      });
      continue;
    }
    decisions.set(id, report.decision);
    delivered += report.valuesReceived;
    sent += report.valuesSent;
    invalid += report.valuesInvalid ?? 0;
    rpcs += report.rpcsSent;
    generals.push({
      ...base,
      decision: report.decision,
      tally: report.tally,
      valuesReceived: report.valuesReceived,
      valuesMissing: report.valuesMissing,
      ...(algorithm === 'sm' ? { valuesInvalid: report.valuesInvalid ?? 0 } : {}),
      lies: report.lies,
      reachable: true,
      ...(algorithm === 'king' ? kingView(report.phases ?? []) : {}),
    });
  }
  const verdict = judge({ order, faulty, decisions });
  return {
    runId: facts.runId,
    n,
    t,
    order,
    algorithm,
    generals,
    consensus: verdict.consensus,
    ic1: verdict.ic1,
    ic2: verdict.ic2,
    ic2Violators: verdict.ic2Violators,
    split: verdict.byDecision,
    unsafe: n < minimumGenerals(algorithm, t),
    // An injected fault spends the same budget t as a traitor.
    tooManyTraitors: new Set([...roster.keys(), ...(facts.faulted?.keys() ?? [])]).size > t,
    unreachable: generals.filter((g) => !g.reachable).map((g) => g.id),
    messages:
      algorithm === 'sm'
        ? { expected: sent, delivered, invalid }
        : { expected: algorithm === 'king' ? kingMessages(n, t) : logicalMessages(n, t), delivered },
    rpcs,
    elapsedMs: facts.elapsedMs,
    ...(algorithm === 'king' ? { phases: phaseOutcomes(n, t, reports) } : {}),
  };
}

const letterOf = (order: Order) => (order === 'ATTACK' ? 'A' : 'R');

/** King: one general's x across phases, and its last phase. */
function kingView(phases: readonly PhaseRecord[]): Pick<GeneralResult, 'xByPhase' | 'lastPhase'> {
  const first = phases[0];
  return {
    xByPhase: first === undefined ? '' : letterOf(first.start) + phases.map((p) => letterOf(p.x)).join(''),
    lastPhase: phases[phases.length - 1] ?? null,
  };
}

/** King: every phase 1..t+1 with its king and each general's x at its end, as reported. */
function phaseOutcomes(n: number, t: number, reports: ReadonlyMap<number, GeneralReport>): PhaseOutcome[] {
  const out: PhaseOutcome[] = [];
  for (let phase = 1; phase <= t + 1; phase++) {
    const x: Array<Order | null> = [];
    for (let id = 0; id < n; id++) {
      const record = reports.get(id)?.phases?.find((p) => p.phase === phase);
      x.push(record?.x ?? null);
    }
    out.push({ phase, king: kingOf(phase), x });
  }
  return out;
}

export function exitCodeOf(result: RunResult): ExitCode {
  // A general that crashed on purpose is judged, not a reason to give up.
  const unexpected = result.unreachable.filter((id) => result.generals[id]?.fault === undefined);
  if (unexpected.length > 0) return ExitCode.unreachable;
  return result.ic1 && result.ic2 ? ExitCode.agreed : ExitCode.violated;
}
