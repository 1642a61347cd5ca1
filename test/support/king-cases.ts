import type { Strategy } from '../../src/core/strategy.js';
import { summarize } from '../../src/run/result.js';
import { runInMemory } from '../../src/sim/network.js';
import { range } from './combinatorics.js';
import { referenceKing } from './reference-king.js';
import { caseLabel, type SweepCase } from './sweep-cases.js';

/**
 * How one case of the King sweep is checked, shared by the sweep test and its worker threads.
 * A check returns its problems instead of asserting, so a worker can send them back.
 */

/**
 * Messages of a King run by hand: n-1 orders, then per phase n(n-1) value and n(n-1) propose
 * messages (propose(none) included) and n-1 from the king.
 */
export function handMessages(n: number, t: number): number {
  return n - 1 + (t + 1) * (n * (n - 1) + n * (n - 1) + (n - 1));
}

/**
 * What a silent general s withholds by hand: its n-1 orders if it is the commander, its n-1 value
 * and n-1 propose messages in each of the t+1 phases, and its n-1 king's values if it is a king
 * (generals 0..t are).
 */
export function handWithheld(n: number, t: number, s: number): number {
  return (s === 0 ? n - 1 : 0) + (t + 1) * 2 * (n - 1) + (s <= t ? n - 1 : 0);
}

/**
 * Round deadlines that must fire, by hand: round 0 when the commander is silent, every value and
 * propose round when anyone is, and each king round whose king is.
 */
export function handDeadlines(t: number, silent: readonly number[]): number {
  if (silent.length === 0) return 0;
  const silentKings = silent.filter((s) => s <= t).length;
  return (silent.includes(0) ? 1 : 0) + 2 * (t + 1) + silentKings;
}

export interface CaseVerdict {
  readonly ic1: boolean;
  readonly ic2: boolean;
  readonly problems: string[];
}

/**
 * Runs one case in memory and checks it against the reference King (decisions, every general's x
 * after each phase, its c and P in each phase), the counts by hand (messages, RPCs, deadlines, what
 * each general misses) and IC1, IC2 and consensus computed here from the decisions.
 */
export function checkKingCase(c: SweepCase): CaseVerdict {
  const { n, t, order, traitors } = c;
  const roster = new Map<number, Strategy>([...traitors].map(([id, kind]) => [id, { kind }] as const));
  // No trace kept: the deadlines that fired are counted all the same.
  const outcome = runInMemory({ runId: 'king-sweep', n, t, order, roster, algorithm: 'king' });
  const result = summarize({
    runId: 'king-sweep',
    n,
    t,
    order,
    roster,
    algorithm: 'king',
    reports: outcome.reports,
    failures: new Map(),
    elapsedMs: 0,
  });
  const reference = referenceKing(n, t, order, traitors);
  const problems: string[] = [];
  const name = caseLabel(c);
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${name}: ${what}`);
  };

  for (let id = 0; id < n; id++) {
    const report = outcome.reports.get(id);
    const phases = report?.phases ?? [];
    expect(phases.length === t + 1, `general ${id} finished ${phases.length} phases, not ${t + 1}`);
    const history = reference.x.map((xs) => xs[id]);
    const got = [phases[0]?.start, ...phases.map((p) => p.x)];
    expect(
      got.join() === history.join(),
      `general ${id} x by phase ${got.join()} != reference ${history.join()}`,
    );
    phases.forEach((p, i) => {
      const counts = [p.values.attack, p.values.retreat, p.proposals.attack, p.proposals.retreat];
      const want = reference.counts[i]?.[id] ?? [];
      expect(counts.join() === want.join(), `general ${id} phase ${p.phase} c/P ${counts} != ${want}`);
      expect(p.king === i, `phase ${p.phase} has king ${p.king}, not ${i}`);
    });
    if (id > 0) {
      expect(
        report?.decision === reference.decisions.get(id),
        `general ${id} decided ${report?.decision}, the reference ${reference.decisions.get(id)}`,
      );
    }
  }

  const loyal = range(1, n).filter((id) => !traitors.has(id));
  const decided = new Set(loyal.map((id) => reference.decisions.get(id)));
  const ic1 = decided.size <= 1;
  const ic2 = traitors.has(0) || [...decided].every((d) => d === order);
  expect(result.ic1 === ic1, `reported IC1 ${result.ic1}, derived ${ic1}`);
  expect(result.ic2 === ic2, `reported IC2 ${result.ic2}, derived ${ic2}`);
  const consensus = ic1 && loyal.length > 0 ? (reference.decisions.get(loyal[0] ?? 0) ?? null) : null;
  expect(result.consensus === consensus, `consensus ${result.consensus}, derived ${consensus}`);

  const silent = [...traitors].filter(([, kind]) => kind === 'silent').map(([id]) => id);
  const withheld = silent.reduce((sum, s) => sum + handWithheld(n, t, s), 0);
  const full = handMessages(n, t);
  expect(
    result.messages.expected === full && result.messages.delivered === full - withheld,
    `messages ${JSON.stringify(result.messages)}, by hand ${full - withheld} of ${full}`,
  );
  expect(reference.messages === full - withheld, `reference sent ${reference.messages}`);
  expect(result.rpcs === full - withheld, `RPCs ${result.rpcs}, by hand ${full - withheld}`);
  expect(
    outcome.trace.expiries === handDeadlines(t, silent),
    `${outcome.trace.expiries} deadlines fired, by hand ${handDeadlines(t, silent)}`,
  );
  for (const g of result.generals) {
    // From each silent s other than itself: its order (if s commands), 2(t+1), the king's value (if s is a king).
    const missing = silent
      .filter((s) => s !== g.id)
      .reduce((sum, s) => sum + (s === 0 ? 1 : 0) + 2 * (t + 1) + (s <= t ? 1 : 0), 0);
    expect(g.valuesMissing === missing, `general ${g.id} misses ${g.valuesMissing}, by hand ${missing}`);
  }
  return { ic1, ic2, problems };
}
