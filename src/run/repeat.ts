import type { Order } from '../core/order.js';
import { draw } from '../core/random.js';
import { formatStrategy, type Strategy } from '../core/strategy.js';
import type { Roster, RunResult } from './result.js';

/**
 * Repeated runs drawn from one seed: pure, so the same (seed, run number) always gives the same run.
 * Each run's draws come from the counter-based generator at coordinates (run, purpose, id), so run k
 * never depends on how many runs came before it.
 */

/** What a repeated run's traitor may be: every strategy, `random:SEED` with a drawn seed. */
export const DRAWN_KINDS = ['equivocate', 'flip', 'silent', 'random'] as const;

const PURPOSE = { order: 1, pick: 2, strategy: 3, randomSeed: 4 } as const;

export interface RepeatPlan {
  readonly seed: number;
  readonly runs: number;
  readonly n: number;
  readonly t: number;
  /** Fixed order; undefined: drawn per run. */
  readonly order?: Order | undefined;
  /** Fixed traitor ids; undefined: t ids drawn per run. */
  readonly traitorIds?: readonly number[] | undefined;
  /** false when the command cannot choose the generals' strategies (client): the roster is fixed. */
  readonly drawStrategies: boolean;
}

export interface DrawnRun {
  /** 1-based. */
  readonly run: number;
  readonly order: Order;
  readonly roster: Roster;
}

/** Run number `run` (1-based) of a plan. */
export function drawRun(plan: RepeatPlan, run: number, fixedRoster: Roster = new Map()): DrawnRun {
  const { seed, n, t } = plan;
  const order: Order = plan.order ?? (draw(seed, run, PURPOSE.order) & 1 ? 'ATTACK' : 'RETREAT');
  if (!plan.drawStrategies) return { run, order, roster: fixedRoster };
  const ids = plan.traitorIds ?? pickIds(seed, run, n, Math.min(t, n));
  const roster = new Map<number, Strategy>();
  for (const id of [...ids].sort((a, b) => a - b)) {
    const kind = DRAWN_KINDS[draw(seed, run, PURPOSE.strategy, id) % DRAWN_KINDS.length] ?? 'equivocate';
    roster.set(id, kind === 'random' ? { kind, seed: draw(seed, run, PURPOSE.randomSeed, id) } : { kind });
  }
  return { run, order, roster };
}

/** `count` distinct ids of 0..n-1: a partial Fisher-Yates shuffle driven by the seed. */
function pickIds(seed: number, run: number, n: number, count: number): number[] {
  const ids = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + (draw(seed, run, PURPOSE.pick, i) % (n - i));
    [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
  }
  return ids.slice(0, count);
}

export function formatRoster(roster: Roster): string {
  return roster.size === 0 ? 'none' : [...roster].map(([id, s]) => `${id}:${formatStrategy(s)}`).join(',');
}

export interface RepeatedRun {
  readonly run: number;
  readonly order: Order;
  readonly traitors: string;
  readonly ic1: boolean;
  readonly ic2: boolean;
  readonly consensus: Order | null;
  readonly unreachable: readonly number[];
  readonly exitCode: number;
  readonly replay: string;
}

export interface RepeatSummary {
  readonly seed: number;
  readonly repeat: number;
  readonly agreed: number;
  readonly failed: number;
  readonly runs: readonly RepeatedRun[];
}

export function repeatedRun(
  drawn: DrawnRun,
  result: RunResult,
  exitCode: number,
  replay: string,
): RepeatedRun {
  return {
    run: drawn.run,
    order: drawn.order,
    traitors: formatRoster(drawn.roster),
    ic1: result.ic1,
    ic2: result.ic2,
    consensus: result.consensus,
    unreachable: result.unreachable,
    exitCode,
    replay,
  };
}

export function summarizeRepeat(seed: number, runs: readonly RepeatedRun[]): RepeatSummary {
  const agreed = runs.filter((r) => r.exitCode === 0).length;
  return { seed, repeat: runs.length, agreed, failed: runs.length - agreed, runs };
}

/** 0 when every run agreed; else the worst single-run status (3 unreachable over 1 violated). */
export function repeatExitCode(summary: RepeatSummary): number {
  return summary.runs.reduce(
    (worst, r) => (r.exitCode === 3 || worst === 3 ? 3 : Math.max(worst, r.exitCode)),
    0,
  );
}

export function renderRunLine(r: RepeatedRun, total: number): string {
  const verdict =
    r.exitCode === 3
      ? `unreachable ${r.unreachable.join(',')}`
      : `IC1 ${r.ic1 ? 'ok' : 'FAILS'}  IC2 ${r.ic2 ? 'ok' : 'FAILS'}`;
  return `run ${String(r.run).padStart(String(total).length)}/${total}  order ${r.order.padEnd(7)}  traitors ${r.traitors}  ${verdict}  consensus ${r.consensus ?? 'none'}`;
}

export function renderRepeatSummary(s: RepeatSummary): string {
  const out = [
    `${s.repeat} runs from seed ${s.seed}: ${s.agreed} agreed (IC1 and IC2 held), ${s.failed} failed`,
  ];
  for (const r of s.runs.filter((x) => x.exitCode !== 0)) {
    const what =
      r.exitCode === 3
        ? 'generals unreachable'
        : `${[!r.ic1 ? 'IC1' : '', !r.ic2 ? 'IC2' : ''].filter(Boolean).join(' and ')} failed`;
    out.push(`  run ${r.run}: ${what}; replay: ${r.replay}`);
  }
  return out.join('\n');
}
