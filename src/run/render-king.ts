import type { PhaseRecord } from '../core/run/types.js';
import type { GeneralResult, RunResult } from './result.js';
import { textTable as table } from './text-table.js';

/**
 * The human report of a King run: per general its x across phases and the tallies of its last
 * phase, then per phase its king and how the generals' x stood at the end.
 */

/** Up to this many phases the table spells x out phase by phase; beyond, the last x and the changes. */
export const PHASES_SPELLED_OUT = 12;

const HEADERS_FEW = [
  'general',
  'role',
  'strategy',
  'decision',
  'x by phase',
  'changed',
  'c A/R',
  'P A/R',
  'king round',
  'missing',
  'lies',
] as const;

const tallyText = (t: { attack: number; retreat: number }) => `${t.attack}/${t.retreat}`;

/** What the last phase's king round did to x: kept its own, took the king's value, or was the king. */
export function kingRoundText(last: PhaseRecord, id: number): string {
  if (last.king === id) return 'is the king';
  if (!last.tookKing) return `kept ${last.x[0]}`;
  return last.kingValue === null ? 'took R (none came)' : `took king's ${last.x[0]}`;
}

/** Phases in which x ended other than it began: the letters after the first that differ from the one before. */
export function changesOf(xByPhase: string): number {
  let changes = 0;
  for (let i = 1; i < xByPhase.length; i++) if (xByPhase[i] !== xByPhase[i - 1]) changes++;
  return changes;
}

function row(g: GeneralResult, spelledOut: boolean): string[] {
  const strategy = g.fault === undefined ? g.strategy : `${g.strategy}, ${g.fault}`;
  if (!g.reachable) return [String(g.id), g.role, strategy, 'unreachable', '-', '-', '-', '-', '-', '-', '-'];
  const decision = g.role === 'commander' ? `(order ${g.decision})` : (g.decision ?? '-');
  const x = g.xByPhase ?? '';
  const shown = x === '' ? '-' : spelledOut ? `${x[0]}|${x.slice(1)}` : x.slice(-1);
  const last = g.lastPhase ?? null;
  return [
    String(g.id),
    g.role,
    strategy,
    decision,
    shown,
    x === '' ? '-' : String(changesOf(x)),
    last === null ? '-' : tallyText(last.values),
    last === null ? '-' : tallyText(last.proposals),
    last === null ? '-' : kingRoundText(last, g.id),
    String(g.valuesMissing),
    String(g.lies),
  ];
}

/** The generals' table: x by phase (or the last x, past PHASES_SPELLED_OUT phases), and the last phase's tallies. */
export function renderKingTable(result: RunResult): string {
  const spelledOut = result.t + 1 <= PHASES_SPELLED_OUT;
  const headers = spelledOut ? [...HEADERS_FEW] : HEADERS_FEW.map((h) => (h === 'x by phase' ? 'x last' : h));
  const rows = result.generals.map((g) => row(g, spelledOut));
  const legend = spelledOut
    ? 'x by phase: x after round 0 | after each phase;'
    : `x last: x after phase ${result.t + 1};`;
  return [
    table(headers, rows, 5),
    '',
    `${legend} changed: phases in which x changed; c, P, king round: phase ${result.t + 1}'s value and propose counts (own message included) and what the king's round did (n-t=${result.n - result.t}).`,
  ].join('\n');
}

/** Per phase: its king (and whether it is loyal), and how the generals' x stood at its end. */
export function renderKingPhases(result: RunResult): string {
  const strategyOf = (id: number) => result.generals[id]?.strategy ?? 'unknown';
  const rows = (result.phases ?? []).map((phase) => {
    let attack = 0;
    let retreat = 0;
    let loyalAttack = 0;
    let loyalRetreat = 0;
    phase.x.forEach((x, id) => {
      if (x === null) return;
      const loyal = !result.generals[id]?.traitor;
      if (x === 'ATTACK') {
        attack++;
        if (loyal) loyalAttack++;
      } else {
        retreat++;
        if (loyal) loyalRetreat++;
      }
    });
    return [
      String(phase.phase),
      String(phase.king),
      strategyOf(phase.king),
      phase.x[phase.king]?.slice(0, 1) ?? '-',
      `${attack}/${retreat}`,
      `${loyalAttack}/${loyalRetreat}`,
      loyalAttack > 0 && loyalRetreat > 0 ? 'split' : 'agree',
    ];
  });
  return table(['phase', 'king', "king's strategy", "king's x", 'x A/R', 'loyal x A/R', 'loyal'], rows, 4);
}
