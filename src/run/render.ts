import type { GeneralResult, RunResult } from './result.js';

const HEADERS = ['general', 'role', 'strategy', 'decision', 'ATTACK', 'RETREAT', 'missing', 'lies'] as const;

function row(g: GeneralResult): string[] {
  const strategy = g.fault === undefined ? g.strategy : `${g.strategy}, ${g.fault}`;
  if (!g.reachable) return [String(g.id), g.role, strategy, 'unreachable', '-', '-', '-', '-'];
  const decision = g.role === 'commander' ? `(order ${g.decision})` : (g.decision ?? '-');
  return [
    String(g.id),
    g.role,
    strategy,
    decision,
    String(g.tally?.attack ?? '-'),
    String(g.tally?.retreat ?? '-'),
    String(g.valuesMissing),
    String(g.lies),
  ];
}

function table(rows: string[][]): string {
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i >= 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const fmt = (x: number) => x.toLocaleString('en-US');

/** The human report: the table, the verdict, the consensus, then time and counts. */
export function renderHuman(result: RunResult): string {
  const out: string[] = [];
  out.push(
    `OM(${result.t}) with ${result.n} generals, order ${result.order}, run ${result.runId}`,
    '',
    table(result.generals.map(row)),
    '',
  );
  if (result.unsafe) {
    out.push(`warning: n=${result.n} <= 3t=${3 * result.t}: OM(${result.t}) guarantees nothing here`);
  }
  if (result.tooManyTraitors) {
    out.push(
      `warning: more traitors and faulty generals than t=${result.t}: OM(${result.t}) guarantees nothing here`,
    );
  }
  for (const g of result.generals.filter((x) => x.fault !== undefined)) {
    out.push(`general ${g.id} has an injected fault (${g.fault}); judged as faulty, like a traitor`);
  }
  for (const g of result.generals.filter((x) => !x.reachable)) {
    out.push(`general ${g.id} could not be reached (${g.error ?? 'no answer'}); judged as faulty`);
  }
  out.push(
    result.ic1
      ? 'IC1 holds: every loyal lieutenant decided alike'
      : `IC1 FAILS: loyal lieutenants split, ATTACK: ${result.split.ATTACK.join(',')}; RETREAT: ${result.split.RETREAT.join(',')}`,
    result.ic2
      ? 'IC2 holds: loyal lieutenants follow a loyal commander'
      : `IC2 FAILS: loyal lieutenants ${result.ic2Violators.join(',')} did not follow the loyal commander's ${result.order}`,
    result.consensus === null ? 'No consensus reached' : `Final consensus reached: ${result.consensus}`,
    `${fmt(result.messages.delivered)} of ${fmt(result.messages.expected)} logical messages delivered in ${fmt(result.rpcs)} RPCs; ${result.elapsedMs.toFixed(1)} ms`,
  );
  return out.join('\n');
}

/** `--json`: one object, the fields DESIGN.md names and a little more. */
export function renderJson(result: RunResult): string {
  return JSON.stringify(result);
}
