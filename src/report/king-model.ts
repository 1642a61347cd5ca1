import { kingLastRound, kingOf, phaseOf, roundKind } from '../core/king/phases.js';
import { kingSchedule } from '../core/king/schedule.js';
import type { Order } from '../core/order.js';
import { COMMANDER } from '../core/paths.js';
import type { KingRoundKind, PhaseRecord } from '../core/run/types.js';
import type { GeneralTrace, RunTrace } from './trace.js';

/**
 * The report's view of a King run, built from a RunTrace by pure functions: each general's phases
 * recomputed from the messages it received with the algorithm's rules (and checked against the
 * phases it reported), each phase's king, and each sender's messages of a round as one fan. The
 * fans keep a run of 100 generals (676,665 messages) to a few thousand entries.
 */

/** One round: what it is for, its phase and, in a king round, the king. */
export interface KingRoundInfo {
  readonly round: number;
  readonly kind: KingRoundKind;
  readonly phase: number;
  readonly king: number | null;
}

/**
 * One sender's messages of one round, as their receivers recorded them. `received` has a character
 * per general id: A or R a value, `n` propose(none), `x` refused by the receiver, `.` never
 * recorded, `?` the receiver left no trace, a space where the sender sends nothing (itself, or a
 * round that is not its own).
 */
export interface KingFan {
  readonly round: number;
  readonly from: number;
  readonly received: string;
  /** Same length: 1 where the sender recorded the value as a lie, `w` where it withheld one; empty when neither. */
  readonly lies: string;
  readonly lieCount: number;
}

/** One general across the run. */
export interface KingGeneralView {
  readonly id: number;
  /** x after round 0, or null when its trace has no round 0. */
  readonly initial: Order | null;
  /** Its phases, recomputed from the messages it received. */
  readonly phases: readonly PhaseRecord[];
  /** The phases it reported, when the source carries them. */
  readonly reported: readonly PhaseRecord[] | null;
}

/** One phase across the generals. */
export interface KingPhaseView {
  readonly phase: number;
  readonly king: number;
  readonly kingStrategy: string;
  readonly kingTraitor: boolean;
  /** A character per general id: its x at the end of the phase (as reported, else recomputed), `-` unknown. */
  readonly x: string;
  /** A character per general id: 1 where it took the king's value. */
  readonly tookKing: string;
}

export interface KingModel {
  readonly rounds: readonly KingRoundInfo[];
  readonly fans: readonly KingFan[];
  readonly generals: readonly KingGeneralView[];
  readonly phases: readonly KingPhaseView[];
  /** A character per general id: x after round 0 (`-` unknown). */
  readonly initial: string;
}

const letter = (order: Order | null | undefined) =>
  order === 'ATTACK' ? 'A' : order === 'RETREAT' ? 'R' : '-';
const orderOf = (l: string | undefined): Order | null =>
  l === 'A' ? 'ATTACK' : l === 'R' ? 'RETREAT' : null;

export function kingRounds(t: number): KingRoundInfo[] {
  const out: KingRoundInfo[] = [];
  for (let round = 0; round <= kingLastRound(t); round++) {
    const kind = roundKind(round);
    const phase = phaseOf(round);
    out.push({ round, kind, phase, king: kind === 'king' ? kingOf(phase) : null });
  }
  return out;
}

/** What a general received in each round, by sender: the value's letter, '' for propose(none). */
function inbox(general: GeneralTrace): Map<number, Map<number, string>> {
  const byRound = new Map<number, Map<number, string>>();
  for (const batch of general.received) {
    if (batch.rejected !== undefined) continue;
    let round = byRound.get(batch.round);
    if (round === undefined) {
      round = new Map();
      byRound.set(batch.round, round);
    }
    round.set(batch.from, batch.values.slice(0, 1));
  }
  return byRound;
}

/**
 * A general's phases from the messages it received, by the algorithm's rules: its own message
 * counted as received by itself, c >= n-t to propose, P > t to adopt, P(x) < n-t to take the
 * king's value (RETREAT when none came). `phases` of them (a general that stopped early has fewer).
 */
export function recomputePhases(
  trace: RunTrace,
  general: GeneralTrace,
  phases: number,
): { initial: Order; phases: PhaseRecord[] } {
  const { n, t } = trace;
  const id = general.id;
  const got = inbox(general);
  const tally = (round: number, own: Order | null) => {
    const counts = { attack: own === 'ATTACK' ? 1 : 0, retreat: own === 'RETREAT' ? 1 : 0 };
    for (const value of got.get(round)?.values() ?? []) {
      if (value === 'A') counts.attack++;
      if (value === 'R') counts.retreat++;
    }
    return counts;
  };
  const initial: Order = id === COMMANDER ? trace.order : (orderOf(got.get(0)?.get(COMMANDER)) ?? 'RETREAT');
  let x = initial;
  const records: PhaseRecord[] = [];
  for (let phase = 1; phase <= phases; phase++) {
    const first = 3 * (phase - 1) + 1;
    const king = kingOf(phase);
    const start = x;
    const values = tally(first, x);
    const proposal: Order | null =
      values.attack >= n - t ? 'ATTACK' : values.retreat >= n - t ? 'RETREAT' : null;
    const proposals = tally(first + 1, proposal);
    if (proposals.attack > t) x = 'ATTACK';
    else if (proposals.retreat > t) x = 'RETREAT';
    const kingValue = id === king ? null : orderOf(got.get(first + 2)?.get(king));
    const support = x === 'ATTACK' ? proposals.attack : proposals.retreat;
    const tookKing = id !== king && support < n - t;
    if (tookKing) x = kingValue ?? 'RETREAT';
    records.push({ phase, king, start, values, proposal, proposals, kingValue, tookKing, x });
  }
  return { initial, phases: records };
}

/** How many phases a general got through: as many as it reported, else as its closed rounds show. */
function phasesDone(trace: RunTrace, general: GeneralTrace): number {
  if (general.phases !== undefined) return general.phases.length;
  if (general.rounds.length > 0) {
    const closed = Math.max(...general.rounds.map((r) => r.round));
    return Math.min(trace.t + 1, Math.floor(closed / 3));
  }
  return trace.t + 1;
}

/** Each sender's messages of each round, as their receivers recorded them, with its lies marked. */
function buildFans(trace: RunTrace): KingFan[] {
  const { n, t } = trace;
  const schedule = kingSchedule(n, t);
  const recorded = new Map<string, string>();
  for (const general of trace.generals.values()) {
    for (const batch of general.received) {
      const key = `${batch.round}:${batch.from}:${general.id}`;
      const mark = batch.rejected !== undefined ? 'x' : batch.values === '' ? 'n' : (batch.values[0] ?? 'n');
      // An accepted batch wins over a refused duplicate of it.
      if (recorded.get(key) === undefined || mark !== 'x') recorded.set(key, mark);
    }
  }
  const lies = new Map<string, string>();
  for (const general of trace.generals.values()) {
    for (const lie of general.lies)
      lies.set(`${lie.round}:${general.id}:${lie.to}`, lie.after === null ? 'w' : '1');
  }
  const fans: KingFan[] = [];
  for (let round = 0; round <= kingLastRound(t); round++) {
    for (let from = 0; from < n; from++) {
      const receivers = schedule.receivers(round, from);
      if (receivers.length === 0) continue;
      const chars = new Array<string>(n).fill(' ');
      const lied = new Array<string>(n).fill('0');
      let lieCount = 0;
      for (const to of receivers) {
        const key = `${round}:${from}:${to}`;
        chars[to] = trace.generals.has(to) ? (recorded.get(key) ?? '.') : '?';
        const lie = lies.get(key);
        if (lie !== undefined) {
          lied[to] = lie;
          lieCount++;
        }
      }
      fans.push({ round, from, received: chars.join(''), lies: lieCount > 0 ? lied.join('') : '', lieCount });
    }
  }
  return fans;
}

/** The King part of the report, and the warnings it finds (reported phases the messages contradict). */
export function buildKingModel(trace: RunTrace, warnings: string[]): KingModel {
  const { n, t } = trace;
  const generals: KingGeneralView[] = [];
  for (let id = 0; id < n; id++) {
    const general = trace.generals.get(id);
    if (general === undefined) continue;
    const { initial, phases } = recomputePhases(trace, general, phasesDone(trace, general));
    const reported = general.phases ?? null;
    if (reported !== null) {
      const differs = reported.find((p, i) => phases[i]?.x !== p.x);
      if (differs !== undefined) {
        const mine = phases[differs.phase - 1]?.x ?? 'nothing';
        warnings.push(
          `general ${id} reported x=${differs.x} after phase ${differs.phase}, but the messages it received give ${mine}`,
        );
      }
    }
    generals.push({ id, initial, phases, reported });
  }
  const byId = new Map(generals.map((g) => [g.id, g]));
  const phases: KingPhaseView[] = [];
  for (let phase = 1; phase <= t + 1; phase++) {
    const king = kingOf(phase);
    const strategy = trace.generals.get(king)?.strategy ?? 'unknown';
    let x = '';
    let took = '';
    for (let id = 0; id < n; id++) {
      const view = byId.get(id);
      const record = view?.reported?.[phase - 1] ?? view?.phases[phase - 1];
      x += letter(record?.x);
      took += record?.tookKing === true ? '1' : '0';
    }
    phases.push({
      phase,
      king,
      kingStrategy: strategy,
      kingTraitor: strategy !== 'loyal' && strategy !== 'unknown',
      x,
      tookKing: took,
    });
  }
  let initial = '';
  for (let id = 0; id < n; id++) {
    const view = byId.get(id);
    initial += letter(view?.reported?.[0]?.start ?? view?.initial);
  }
  return { rounds: kingRounds(t), fans: buildFans(trace), generals, phases, initial };
}
