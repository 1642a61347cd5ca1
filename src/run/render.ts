import { algorithmName as nameOf } from '../core/algorithm.js';
import { renderKingPhases, renderKingTable } from './render-king.js';
import type { GeneralResult, RunResult } from './result.js';
import { textTable as table } from './text-table.js';

const HEADERS = ['general', 'role', 'strategy', 'decision', 'ATTACK', 'RETREAT', 'missing', 'lies'] as const;
/** Under SM nothing is missing by design; the column counts values whose chain did not verify. */
const SM_HEADERS = [
  'general',
  'role',
  'strategy',
  'decision',
  'ATTACK',
  'RETREAT',
  'invalid',
  'lies',
] as const;

function row(g: GeneralResult, signed: boolean): string[] {
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
    String(signed ? (g.valuesInvalid ?? 0) : g.valuesMissing),
    String(g.lies),
  ];
}

const fmt = (x: number) => x.toLocaleString('en-US');

/** OM(t), SM(t) or King(t), as people write them. */
const algorithmName = (result: RunResult) => nameOf(result.algorithm, result.t);

/** The bound the run broke: n > 3t for oral messages (OM, King), n >= t+2 for signed ones. */
function unsafeWarning(result: RunResult): string {
  const name = algorithmName(result);
  return result.algorithm === 'sm'
    ? `warning: n=${result.n} < t+2=${result.t + 2}: ${name} guarantees nothing here`
    : `warning: n=${result.n} <= 3t=${3 * result.t}: ${name} guarantees nothing here`;
}

/** The message count line: OM's logical messages are known in advance, SM's chains are not. */
function countsLine(result: RunResult): string {
  const { messages, rpcs, elapsedMs } = result;
  const time = `${fmt(rpcs)} batches; ${elapsedMs.toFixed(1)} ms`;
  if (result.algorithm === 'king') {
    return `${fmt(messages.delivered)} of ${fmt(messages.expected)} messages delivered (propose(none) included) in ${time}`;
  }
  if (result.algorithm === 'sm') {
    return `${fmt(messages.delivered)} valid signed chains of ${fmt(messages.expected)} sent (${fmt(messages.invalid ?? 0)} failed verification and were ignored) in ${time}`;
  }
  return `${fmt(messages.delivered)} of ${fmt(messages.expected)} logical messages delivered in ${time}`;
}

/** The human report: the table, the verdict, the consensus, then time and counts. */
export function renderHuman(result: RunResult): string {
  const out: string[] = [];
  const signed = result.algorithm === 'sm';
  const king = result.algorithm === 'king';
  out.push(
    `${algorithmName(result)} with ${result.n} generals, order ${result.order}, run ${result.runId}`,
    '',
    king
      ? renderKingTable(result)
      : table(
          signed ? SM_HEADERS : HEADERS,
          result.generals.map((g) => row(g, signed)),
        ),
    '',
  );
  if (king) out.push(renderKingPhases(result), '');
  if (result.unsafe) out.push(unsafeWarning(result));
  if (result.tooManyTraitors) {
    out.push(
      `warning: more traitors and faulty generals than t=${result.t}: ${algorithmName(result)} guarantees nothing here`,
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
    countsLine(result),
  );
  return out.join('\n');
}

/** `--json`: one object, the fields DESIGN.md names and a little more. */
export function renderJson(result: RunResult): string {
  return JSON.stringify(result);
}
