import { performance } from 'node:perf_hooks';
import { caseCount, type Shape } from '../check/cases.js';
import { runSweep, type SweepProgress } from '../check/pool.js';
import {
  asPredicted,
  type Counterexample,
  describeCounterexample,
  Prediction,
  predictionFor,
  replayCommand,
  type ShapeTally,
  sweepCost,
} from '../check/sweep.js';
import { parseCheckConfig, workersFor } from '../config/check.js';
import type { Algorithm } from '../core/algorithm.js';
import { type FlagSpec, helpText, parseFlags } from './flags.js';

const FLAGS: FlagSpec = {
  algorithm: {
    type: 'string',
    help: 'om: oral messages OM(t); sm: signed messages SM(t), safe for any N >= t+2; king: the King algorithm, N > 3t',
    default: 'om',
  },
  generals: { type: 'string', help: 'number of generals N, or a range like 4..8 (required)' },
  t: {
    type: 'string',
    help: 'traitors tolerated (depth t of OM(t) or SM(t), t+1 phases of King), or a range like 1..2',
    default: 'floor((N-1)/3) for each N under om and king, N-2 under sm',
  },
  'max-traitors': {
    type: 'string',
    help: 'largest traitor set to try; above t the theory promises nothing',
    default: 't',
  },
  workers: {
    type: 'string',
    help: 'worker threads (1: none)',
    default: 'one per core when the sweep is large, else 1',
  },
  json: { type: 'boolean', help: 'print one JSON object (cases, violations, counterexample, ...)' },
  'allow-unsafe': { type: 'boolean', help: 'also sweep n <= 3t, where a counterexample must exist' },
};

export const checkHelp = helpText(
  'byzantine check --generals N|A..B [--t T|A..B] [flags]',
  `Exhaustively checks OM(t) in this process: for each (n, t), every traitor set of up to
--max-traitors generals (the commander among them or not), every deterministic strategy
(equivocate, flip, silent) for each traitor, and both orders. Each case is judged by IC1 and IC2
over the loyal lieutenants; the first counterexample is printed in full with the \`byzantine
simulate\` command that replays it.

Theory (Lamport, Shostak, Pease 1982): with n > 3t and at most t traitors there is no violation;
with n <= 3t some traitor behaviour breaks IC1 or IC2. A pair with n <= 3t needs --allow-unsafe; in
a range without it, such pairs are skipped and listed. Pairs with t > n-2 are skipped.

With --algorithm sm the same cases run SM(t) (theorem 2: with unforgeable signatures, no violation
with at most t traitors for any n >= t+2, so every pair is expected clean). Its chains are signed
with a keyed hash per general, fresh for each case: as unforgeable inside one process as Ed25519
(each general holds only its own key) and far cheaper to check.

With --algorithm king the cases run the King algorithm (Berman, Garay, Perry 1989): with n > 3t no
violation is expected. With n <= 3t (--allow-unsafe) nothing is promised, but these strategies
are not always enough to break it: they do at n=3, t=1, not at n=6, t=2 (random ones do there), so
such a pair's theory reads "open" and either finding is as predicted.

Progress goes to stderr when it is a terminal. Large sweeps run on worker threads, one per core.
Exit status: 0 when the sweep found what the theory predicts for every pair, 1 otherwise, 2 bad input.`,
  FLAGS,
  `
examples:
  byzantine check --generals 4..8 --t 1..2                    # the safe pairs: expect 0 violations
  byzantine check --generals 6 --t 2 --allow-unsafe           # n = 3t: expect a counterexample
  byzantine check --generals 4 --t 1 --max-traitors 2         # beyond t: violations shown, not judged
  byzantine check --algorithm sm --generals 3..6              # SM(n-2) for each n: expect 0 violations
  byzantine check --algorithm king --generals 4..10           # King, t = floor((n-1)/3): expect 0 violations
  byzantine check --algorithm king --generals 3 --t 1 --allow-unsafe   # n = 3t: a counterexample`,
);

export interface CheckReport {
  readonly algorithm: Algorithm;
  readonly cases: number;
  readonly violations: number;
  readonly ic1Violations: number;
  readonly ic2Violations: number;
  readonly asPredicted: boolean;
  readonly shapes: ReadonlyArray<{
    readonly n: number;
    readonly t: number;
    readonly maxTraitors: number;
    readonly cases: number;
    readonly violations: number;
    readonly violationsWithinT: number;
    readonly ic1Violations: number;
    readonly ic2Violations: number;
    readonly predicted: Prediction;
    readonly asPredicted: boolean;
  }>;
  readonly skipped: readonly string[];
  readonly counterexample: (Counterexample & { readonly replay: string }) | null;
  readonly workers: number;
  readonly elapsedMs: number;
}

export async function checkCommand(argv: readonly string[]): Promise<number> {
  const config = parseCheckConfig(parseFlags(argv, FLAGS));
  const cost = sweepCost(config.shapes);
  const workers = workersFor(cost, config.workers);
  const started = performance.now();
  const progress = process.stderr.isTTY ? progressLine(started) : undefined;
  const tallies = await runSweep(config.shapes, {
    workers,
    ...(progress === undefined ? {} : { onProgress: progress.update }),
  });
  progress?.done();
  const report = reportOf(config.shapes, tallies, config.skipped, workers, performance.now() - started);
  process.stdout.write(`${config.json ? JSON.stringify(report) : renderCheck(report)}\n`);
  return report.asPredicted ? 0 : 1;
}

/** A single self-overwriting line on a terminal, at most every 200 ms, only once a sweep is slow. */
function progressLine(started: number): { update: (p: SweepProgress) => void; done: () => void } {
  let last = started;
  let shown = false;
  return {
    update: ({ done, total, violations }) => {
      const now = performance.now();
      if (now - last < 200 || done === total) return;
      last = now;
      shown = true;
      const pct = ((100 * done) / total).toFixed(1);
      process.stderr.write(
        `\rchecked ${fmt(done)}/${fmt(total)} cases (${pct}%), ${fmt(violations)} violations`,
      );
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

function reportOf(
  shapes: readonly Shape[],
  tallies: readonly ShapeTally[],
  skipped: readonly string[],
  workers: number,
  elapsedMs: number,
): CheckReport {
  const rows = shapes.map((shape, i) => {
    const tally = tallies[i];
    if (tally === undefined || tally.cases !== caseCount(shape)) {
      throw new RangeError(`shape n=${shape.n} t=${shape.t} was not swept completely`);
    }
    return {
      n: shape.n,
      t: shape.t,
      maxTraitors: shape.maxTraitors,
      cases: tally.cases,
      violations: tally.violations,
      violationsWithinT: tally.violationsWithinT,
      ic1Violations: tally.ic1Violations,
      ic2Violations: tally.ic2Violations,
      predicted: predictionFor(shape),
      asPredicted: asPredicted(shape, tally),
    };
  });
  const first = tallies.find((t) => t.first !== undefined)?.first;
  const sum = (key: 'cases' | 'violations' | 'ic1Violations' | 'ic2Violations') =>
    rows.reduce((total, row) => total + row[key], 0);
  return {
    algorithm: shapes[0]?.algorithm ?? 'om',
    cases: sum('cases'),
    violations: sum('violations'),
    ic1Violations: sum('ic1Violations'),
    ic2Violations: sum('ic2Violations'),
    asPredicted: rows.every((r) => r.asPredicted),
    shapes: rows,
    skipped,
    counterexample: first === undefined ? null : { ...first, replay: replayCommand(first) },
    workers,
    elapsedMs,
  };
}

const fmt = (x: number) => x.toLocaleString('en-US');

export function renderCheck(report: CheckReport): string {
  const header = ['n', 't', 'traitors', 'cases', 'violations', 'IC1', 'IC2', 'theory', 'result'];
  const rows = report.shapes.map((s) => [
    String(s.n),
    String(s.t),
    `0..${s.maxTraitors}`,
    fmt(s.cases),
    fmt(s.violations),
    fmt(s.ic1Violations),
    fmt(s.ic2Violations),
    s.predicted,
    s.asPredicted ? 'as predicted' : 'CONTRADICTS THEORY',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [
    `Checked ${fmt(report.cases)} ${report.algorithm === 'sm' ? 'SM(t) ' : report.algorithm === 'king' ? 'King ' : ''}cases: every traitor set up to the given size, each traitor equivocate, flip or silent, orders ATTACK and RETREAT`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ];
  for (const s of report.skipped) out.push(`skipped ${s}`);
  if (report.skipped.length > 0) out.push('');
  out.push(
    `${fmt(report.violations)} violations (IC1 ${fmt(report.ic1Violations)}, IC2 ${fmt(report.ic2Violations)}) in ${fmt(report.cases)} cases; ${(report.elapsedMs / 1000).toFixed(2)} s on ${report.workers} thread(s)`,
  );
  const c = report.counterexample;
  if (c !== null) {
    out.push('', 'First counterexample:', ...describeCounterexample(c).map((l) => `  ${l}`));
    out.push(`  replay: ${c.replay}`);
  }
  const beyond = report.shapes.some((s) => s.violations > s.violationsWithinT);
  out.push(
    '',
    !report.asPredicted
      ? 'NOT as the theory predicts: see the rows marked CONTRADICTS THEORY.'
      : report.algorithm === 'sm'
        ? 'As the theory predicts: with signed messages, no violation with at most t traitors for any n >= t+2.'
        : report.algorithm === 'king'
          ? kingConclusion(report)
          : 'As the theory predicts: no violation where n > 3t with at most t traitors, and a counterexample wherever n <= 3t.',
  );
  if (beyond)
    out.push(
      `(Violations with more than t traitors are shown but not judged: ${report.algorithm === 'king' ? 'King' : `${report.algorithm.toUpperCase()}(t)`} promises nothing there.)`,
    );
  return out.join('\n');
}

/** King's closing line: no violation where n > 3t, and what the unsafe pairs (if any) showed. */
function kingConclusion(report: CheckReport): string {
  const open = report.shapes.filter((s) => s.predicted === Prediction.open);
  const broken = open.filter((s) => s.violationsWithinT > 0).map((s) => `n=${s.n} t=${s.t}`);
  const held = open.filter((s) => s.violationsWithinT === 0).map((s) => `n=${s.n} t=${s.t}`);
  const parts = ['As the theory predicts: no violation where n > 3t with at most t traitors.'];
  if (broken.length > 0) parts.push(`Where n <= 3t these strategies broke it (${broken.join(', ')}).`);
  if (held.length > 0)
    parts.push(
      `Where n <= 3t nothing is promised, yet these strategies did not break it (${held.join(', ')}): no guarantee either (at n=6, t=2 random:SEED traitors do, docs/king.md).`,
    );
  return parts.join(' ');
}
