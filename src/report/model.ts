import type { Algorithm } from '../core/algorithm.js';
import { kingMessages, kingMessagesTo, messagesInRound } from '../core/king/counts.js';
import { logicalMessages, rpcsExpected, valuesPerLieutenant } from '../core/om/counts.js';
import { pathTable } from '../core/om/path-table.js';
import { majority, type Order, type Tally } from '../core/order.js';
import { COMMANDER, type Path, pathKey, pathsOfLength } from '../core/paths.js';
import { batchesExpected } from '../core/run/rounds.js';
import { signedChainsAtMost } from '../core/sm/counts.js';
import { judge, type Verdict } from '../core/verdict.js';
import { buildKingModel, type KingFan, type KingModel } from './king-model.js';
import type { GeneralTrace, RunTrace, TraceSource } from './trace.js';

/**
 * The report's one data model, built from a RunTrace by pure functions: the HTML only lays it out.
 * Every decision shown is recomputed here from the values each lieutenant held, with the core's
 * rules (OM: the EIG path table and `majority`; SM: choice(V) over the chains that verified), so a
 * report also checks what the generals reported.
 */

/** Above this many batches, the diagram draws one fan per (round, sender) instead of one arrow per batch. */
export const AGGREGATE_ABOVE = 400;

export type Letter = 'A' | 'R';

/** One batch on the wire, as its receiver recorded it. */
export interface Arrow {
  readonly round: number;
  readonly from: number;
  readonly to: number;
  /** One letter per value, in canonical path order (see batchPaths). */
  readonly values: string;
  /** How many of those values are lies the sender recorded. */
  readonly lies: number;
  /** Same length as values: 1 where the value is a lie, 0 elsewhere; empty when there is none. */
  readonly lieMask: string;
  /** The rejection code when the receiver refused the batch. */
  readonly rejected?: string | undefined;
  /** SM: the signers of each value's chain (`0.2.1`; `?` when the source did not record them). */
  readonly chains?: readonly string[] | undefined;
  /** SM: how many values the receiver ignored because their chain did not verify. */
  readonly invalid?: number | undefined;
  /** SM: same length as values, 1 where the value was ignored; empty when none was. */
  readonly invalidMask?: string | undefined;
}

/** A batch a traitor withheld entirely (silent): no arrow, only the lie. */
export interface Withheld {
  readonly round: number;
  readonly from: number;
  readonly to: number;
  readonly values: number;
}

export interface RosterEntry {
  readonly id: number;
  readonly role: 'commander' | 'lieutenant';
  readonly strategy: string;
  readonly traitor: boolean;
  /** False when no trace of this general was found (unreachable, or no log). */
  readonly traced: boolean;
  readonly missingReason?: string | undefined;
  /** The decision the general reported (the commander: its order). */
  readonly decision: Order | null;
  /** The decision recomputed from its EIG tree, or under SM as choice(V) (lieutenants only). */
  readonly resolved: Order | null;
  /** OM: the values it holds, missing ones counted as RETREAT. SM: its valid chains by value. */
  readonly tally: Tally | null;
  readonly valuesHeld: number;
  readonly valuesExpected: number;
  readonly liesTold: number;
}

export interface RoundSummary {
  readonly round: number;
  readonly batches: number;
  readonly batchesExpected: number;
  readonly values: number;
  readonly lies: number;
  readonly rejected: number;
  readonly withheld: number;
  /** The slowest general's time to close the round, when the source has timings. */
  readonly elapsedMs: number | null;
  readonly timedOut: number;
  /** SM: values ignored because their chain did not verify (0 under OM). */
  readonly invalid: number;
}

/**
 * One lieutenant's EIG tree in preorder: node 0 is the path (0); each node's children are the path
 * extended by each lieutenant not on it and not this one, in increasing id, and a node of path length
 * L spans subtreeSize(n, t, L) entries.
 */
export interface EigTree {
  readonly lieutenant: number;
  /** Held value per node: A, R, or - when it never arrived (read as RETREAT). */
  readonly held: string;
  /** Resolved value per node: the node's own value at a leaf, else the majority of it and its children's. */
  readonly resolved: string;
  /** Nodes whose value a traitor lied about: [preorder index, sender, what a loyal sender would have sent]. */
  readonly lied: ReadonlyArray<readonly [number, number, Letter]>;
  readonly decision: Order;
}

/** SM: one chain a lieutenant received in an accepted batch. */
export interface ReceivedChain {
  readonly round: number;
  readonly from: number;
  /** Its signers, `0.2.1` (the commander first, the sender last); `?` when not recorded. */
  readonly signers: string;
  readonly value: Letter;
  /** False when a signature did not verify: the value was ignored (not added to V). */
  readonly valid: boolean;
  /** When the sender recorded this value as a lie: what a loyal sender would have sent. */
  readonly lie?: Letter | undefined;
}

/** SM: how one lieutenant decided: the chains it received, its set V, and choice(V). */
export interface ChainView {
  readonly lieutenant: number;
  /** In (round, sender, position) order. */
  readonly chains: readonly ReceivedChain[];
  /** The values with at least one valid chain, ATTACK first. */
  readonly v: readonly Order[];
  /** choice(V): the single value of V, else RETREAT. */
  readonly decision: Order;
}

export interface Counts {
  readonly batches: number;
  readonly batchesExpected: number;
  readonly values: number;
  readonly valuesExpected: number;
  readonly lies: number;
  readonly withheldValues: number;
  readonly rejected: number;
  /** SM: values ignored because their chain did not verify (0 under OM). */
  readonly invalid: number;
}

export interface ReportModel {
  readonly runId: string;
  readonly algorithm: Algorithm;
  readonly n: number;
  readonly t: number;
  readonly order: Order;
  readonly source: TraceSource;
  readonly startedAt: string | null;
  readonly elapsedMs: number | null;
  readonly roster: readonly RosterEntry[];
  readonly arrows: readonly Arrow[];
  readonly withheld: readonly Withheld[];
  readonly rounds: readonly RoundSummary[];
  /** OM: each lieutenant's EIG tree (empty under SM). */
  readonly trees: readonly EigTree[];
  /** SM: each lieutenant's chains, V and choice(V) (empty under OM). */
  readonly chainViews: readonly ChainView[];
  /** King: each general's phases, each phase's king, each sender's messages per round (null otherwise). */
  readonly king: KingModel | null;
  readonly verdict: Verdict;
  readonly counts: Counts;
  /** Whether the diagram draws one fan per (round, sender) rather than an arrow per batch. */
  readonly aggregated: boolean;
  /** Reported decisions that differ from the recomputed ones, and other inconsistencies found. */
  readonly warnings: readonly string[];
  readonly unsafe: boolean;
}

const letter = (order: Order): Letter => (order === 'ATTACK' ? 'A' : 'R');

/** The EIG paths of a batch's values, in wire order; the receiver stores each as the path + sender. */
export function batchPaths(n: number, round: number, sender: number, receiver: number): Path[] {
  if (round === 0) return [[COMMANDER]];
  return pathsOfLength(n, round, new Set([sender, receiver])).map((p) => [...p, sender]);
}

/** Preorder span of a node whose path has `length` generals (1 = the root (0)). */
export function subtreeSize(n: number, t: number, length: number): number {
  let size = 1;
  for (let l = t; l >= length; l--) size = 1 + (n - 1 - l) * size;
  return size;
}

const isTraitorStrategy = (strategy: string) => strategy !== 'loyal';

/** What a roster entry says a lieutenant held and decided, apart from who it is. */
type Holding = Pick<RosterEntry, 'resolved' | 'tally' | 'valuesHeld' | 'valuesExpected'>;

/** OM: the values in its EIG tree (missing ones shown as -), and the tree's resolved decision. */
function treeHolding(
  id: number,
  tree: EigTree | undefined,
  decision: Order | null,
  valuesExpected: number,
  warnings: string[],
): Holding {
  const held = tree?.held ?? '';
  let attack = 0;
  let heldCount = 0;
  for (const c of held) {
    if (c === 'A') attack++;
    if (c !== '-') heldCount++;
  }
  if (tree !== undefined && decision !== null && decision !== tree.decision) {
    warnings.push(`general ${id} reported ${decision}, but the values it held resolve to ${tree.decision}`);
  }
  return {
    resolved: tree?.decision ?? null,
    tally: id === COMMANDER ? null : { attack, retreat: held.length - attack },
    valuesHeld: heldCount,
    valuesExpected,
  };
}

/** SM: the values whose chain verified, and choice(V). */
function chainHolding(id: number, view: ChainView, decision: Order | null, warnings: string[]): Holding {
  let attack = 0;
  let retreat = 0;
  for (const chain of view.chains) {
    if (!chain.valid) continue;
    if (chain.value === 'A') attack++;
    else retreat++;
  }
  if (decision !== null && decision !== view.decision) {
    const v = view.v.length === 0 ? 'V is empty' : `V = {${view.v.join(', ')}}`;
    warnings.push(`general ${id} reported ${decision}, but ${v}, so choice(V) is ${view.decision}`);
  }
  return {
    resolved: view.decision,
    tally: { attack, retreat },
    valuesHeld: attack + retreat,
    valuesExpected: 0,
  };
}

/** King: the phases recomputed from its messages, its last phase's P, and the messages it received. */
function kingHolding(
  trace: RunTrace,
  general: GeneralTrace,
  king: KingModel,
  decision: Order | null,
  warnings: string[],
): Holding {
  const { id } = general;
  const phases = king.generals.find((g) => g.id === id)?.phases ?? [];
  const last = phases[phases.length - 1];
  const resolved = id === COMMANDER || phases.length < trace.t + 1 ? null : (last?.x ?? null);
  if (resolved !== null && decision !== null && decision !== resolved) {
    warnings.push(
      `general ${id} reported ${decision}, but the messages it received give x=${resolved} after the last phase`,
    );
  }
  return {
    resolved,
    tally: last === undefined ? null : { ...last.proposals },
    valuesHeld: general.received.filter((b) => b.rejected === undefined).length,
    valuesExpected: kingMessagesTo(trace.n, trace.t, id),
  };
}

/** Every lie the traitors told, and how many of them were values withheld. */
function lieCounts(trace: RunTrace): { lies: number; withheldValues: number } {
  let lies = 0;
  let withheldValues = 0;
  for (const g of trace.generals.values()) {
    lies += g.lies.length;
    for (const lie of g.lies) if (lie.after === null) withheldValues++;
  }
  return { lies, withheldValues };
}

/** What identifies a run, the same in every algorithm's report. */
const runHeader = (trace: RunTrace) => ({
  runId: trace.runId,
  algorithm: trace.algorithm,
  n: trace.n,
  t: trace.t,
  order: trace.order,
  source: trace.source,
  startedAt: trace.startedAt ?? null,
  elapsedMs: trace.elapsedMs ?? null,
});

/**
 * One roster entry per general: a general with no trace is counted as faulty and shown as such;
 * a traced one is a traitor by its strategy, and what it holds is the algorithm's (`holding`).
 */
function buildRoster(
  trace: RunTrace,
  valuesExpected: (id: number) => number,
  holding: (id: number, decision: Order | null) => Holding,
): { roster: RosterEntry[]; faulty: Set<number>; decisions: Map<number, Order> } {
  const roster: RosterEntry[] = [];
  const faulty = new Set<number>();
  const decisions = new Map<number, Order>();
  for (let id = 0; id < trace.n; id++) {
    const general = trace.generals.get(id);
    const role = id === COMMANDER ? 'commander' : 'lieutenant';
    if (general === undefined) {
      faulty.add(id);
      roster.push({
        id,
        role,
        strategy: 'unknown',
        traitor: false,
        traced: false,
        missingReason: trace.missing.get(id) ?? 'no trace',
        decision: null,
        resolved: null,
        tally: null,
        valuesHeld: 0,
        valuesExpected: valuesExpected(id),
        liesTold: 0,
      });
      continue;
    }
    const traitor = isTraitorStrategy(general.strategy);
    if (traitor) faulty.add(id);
    const decision = id === COMMANDER ? trace.order : (general.decision ?? null);
    if (decision === null) faulty.add(id);
    else decisions.set(id, decision);
    roster.push({
      id,
      role,
      strategy: general.strategy,
      traitor,
      traced: true,
      decision,
      ...holding(id, decision),
      liesTold: general.lies.length,
    });
  }
  return { roster, faulty, decisions };
}

/** Builds the report's model from a trace. Pure: the same trace gives the same model. */
export function buildReport(trace: RunTrace): ReportModel {
  const { n, t } = trace;
  const signed = trace.algorithm === 'sm';
  const warnings: string[] = [];
  const king = trace.algorithm === 'king' ? buildKingModel(trace, warnings) : null;
  if (king !== null) return buildKingReport(trace, king, warnings);
  const arrows = signed ? buildSignedArrows(trace) : buildArrows(trace);
  const withheld = buildWithheld(trace);
  const trees: EigTree[] = [];
  const chainViews: ChainView[] = [];
  for (let id = 1; id < n; id++) {
    const general = trace.generals.get(id);
    if (general === undefined) continue;
    if (signed) chainViews.push(buildChainView(trace, general));
    else trees.push(buildTree(trace, general));
  }
  const treeOf = new Map(trees.map((tree) => [tree.lieutenant, tree]));
  const viewOf = new Map(chainViews.map((view) => [view.lieutenant, view]));
  const valuesExpected = (id: number) => (id === COMMANDER || signed ? 0 : valuesPerLieutenant(n, t));
  const { roster, faulty, decisions } = buildRoster(trace, valuesExpected, (id, decision) => {
    const view = viewOf.get(id);
    return view === undefined
      ? treeHolding(id, treeOf.get(id), decision, valuesExpected(id), warnings)
      : chainHolding(id, view, decision, warnings);
  });
  const strays = offDiagram(trace);
  if (strays > 0) {
    warnings.push(`${strays} refused batch(es) claimed a sender or round outside this run and are not drawn`);
  }
  if (!trace.generals.has(COMMANDER)) {
    warnings.push(`no trace of the commander: its order ${trace.order} is assumed, and IC2 is not judged`);
  }
  const verdict = judge({ order: trace.order, faulty, decisions });
  const rounds = buildRounds(trace, arrows, withheld);
  const { lies, withheldValues } = lieCounts(trace);
  const accepted = arrows.filter((a) => a.rejected === undefined);
  return {
    ...runHeader(trace),
    roster,
    arrows,
    withheld,
    rounds,
    trees,
    chainViews,
    king: null,
    verdict,
    counts: {
      batches: accepted.length,
      batchesExpected: rpcsExpected(n, t),
      values: accepted.reduce((sum, a) => sum + a.values.length, 0),
      // SM: how many chains travel depends on the traitors; only the most a run can carry is known.
      valuesExpected: signed ? signedChainsAtMost(n, t) : logicalMessages(n, t),
      lies,
      withheldValues,
      rejected: arrows.length - accepted.length,
      invalid: accepted.reduce((sum, a) => sum + (a.invalid ?? 0), 0),
    },
    aggregated: arrows.length > AGGREGATE_ABOVE,
    warnings,
    unsafe: signed ? n < t + 2 : n <= 3 * t,
  };
}

/** Every batch some receiver recorded, in (round, sender, receiver) order, with its lies marked. */
function buildArrows(trace: RunTrace): Arrow[] {
  const lieIndex = new Map<string, Map<string, number>>();
  const pathsIndex = (round: number, from: number, to: number) => {
    const key = `${round}:${from}:${to}`;
    let index = lieIndex.get(key);
    if (index === undefined) {
      index = new Map(
        batchPaths(trace.n, round, from, to).map((p, i) => [pathKey(round === 0 ? p : p.slice(0, -1)), i]),
      );
      lieIndex.set(key, index);
    }
    return index;
  };
  /** Lies by batch key: the positions in the batch that were lies. */
  const liesByBatch = new Map<string, number[]>();
  for (const general of trace.generals.values()) {
    for (const lie of general.lies) {
      if (lie.after === null) continue;
      const position = pathsIndex(lie.round, general.id, lie.to).get(pathKey(lie.path));
      if (position === undefined) continue;
      const key = `${lie.round}:${general.id}:${lie.to}`;
      const list = liesByBatch.get(key) ?? [];
      list.push(position);
      liesByBatch.set(key, list);
    }
  }
  const arrows: Arrow[] = [];
  for (const general of trace.generals.values()) {
    for (const batch of general.received) {
      // A refused batch may claim any sender or round (a rogue client): it has no place on the diagram.
      if (!onDiagram(trace, batch.round, batch.from)) continue;
      const positions = liesByBatch.get(`${batch.round}:${batch.from}:${general.id}`) ?? [];
      let lieMask = '';
      if (positions.length > 0 && batch.rejected === undefined) {
        const mask = new Array<string>(batch.values.length).fill('0');
        for (const p of positions) if (p < mask.length) mask[p] = '1';
        lieMask = mask.join('');
      }
      arrows.push({
        round: batch.round,
        from: batch.from,
        to: general.id,
        values: batch.values,
        lies: batch.rejected === undefined ? positions.length : 0,
        lieMask,
        ...(batch.rejected === undefined ? {} : { rejected: batch.rejected }),
      });
    }
  }
  return arrows.sort((a, b) => a.round - b.round || a.from - b.from || a.to - b.to);
}

function onDiagram(trace: RunTrace, round: number, from: number): boolean {
  return (
    Number.isInteger(round) &&
    round >= 0 &&
    round <= trace.t &&
    Number.isInteger(from) &&
    from >= 0 &&
    from < trace.n
  );
}

/** Refused batches that claimed a sender or round outside the run. */
function offDiagram(trace: RunTrace): number {
  let count = 0;
  for (const g of trace.generals.values())
    for (const b of g.received) if (!onDiagram(trace, b.round, b.from)) count++;
  return count;
}

function buildWithheld(trace: RunTrace): Withheld[] {
  const byBatch = new Map<string, { round: number; from: number; to: number; values: number }>();
  for (const general of trace.generals.values()) {
    for (const lie of general.lies) {
      if (lie.after !== null) continue;
      const key = `${lie.round}:${general.id}:${lie.to}`;
      const entry = byBatch.get(key) ?? { round: lie.round, from: general.id, to: lie.to, values: 0 };
      entry.values++;
      byBatch.set(key, entry);
    }
  }
  return [...byBatch.values()].sort((a, b) => a.round - b.round || a.from - b.from || a.to - b.to);
}

function buildRounds(
  trace: RunTrace,
  arrows: readonly Arrow[],
  withheld: readonly Withheld[],
): RoundSummary[] {
  const { n, t } = trace;
  const rounds: RoundSummary[] = [];
  for (let round = 0; round <= t; round++) {
    const here = arrows.filter((a) => a.round === round);
    const accepted = here.filter((a) => a.rejected === undefined);
    let lies = 0;
    let elapsed: number | null = null;
    let timedOut = 0;
    for (const g of trace.generals.values()) {
      for (const lie of g.lies) if (lie.round === round) lies++;
      for (const timing of g.rounds) {
        if (timing.round !== round) continue;
        elapsed = Math.max(elapsed ?? 0, timing.elapsedMs);
        if (timing.timedOut) timedOut++;
      }
    }
    rounds.push({
      round,
      batches: accepted.length,
      batchesExpected: (n - 1) * batchesExpected(n, round),
      values: accepted.reduce((sum, a) => sum + a.values.length, 0),
      lies,
      rejected: here.length - accepted.length,
      withheld: withheld.filter((w) => w.round === round).length,
      elapsedMs: elapsed,
      timedOut,
      invalid: accepted.reduce((sum, a) => sum + (a.invalid ?? 0), 0),
    });
  }
  return rounds;
}

/** A lieutenant's values placed on its EIG tree, then resolved bottom-up by the core's majority rule. */
function buildTree(trace: RunTrace, general: GeneralTrace): EigTree {
  const { n, t } = trace;
  const id = general.id;
  const table = pathTable(n, t, id);
  /** 0 missing, 1 ATTACK, 2 RETREAT, per storage index. */
  const held = new Uint8Array(table.size);
  for (const batch of general.received) {
    if (batch.rejected !== undefined) continue;
    const indices = table.incomingIndices(batch.round, batch.from);
    if (indices.length !== batch.values.length) continue;
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i] as number;
      if (index >= 0) held[index] = batch.values[i] === 'A' ? 1 : 2;
    }
  }
  const resolved = new Uint8Array(table.size);
  const resolve = (index: number): Order => {
    const own: Order = held[index] === 1 ? 'ATTACK' : 'RETREAT';
    const children = table.children(index);
    let result = own;
    if (children.length > 0) {
      const tally: Tally = { attack: own === 'ATTACK' ? 1 : 0, retreat: own === 'ATTACK' ? 0 : 1 };
      for (const child of children) {
        if (resolve(child) === 'ATTACK') tally.attack++;
        else tally.retreat++;
      }
      result = majority(tally);
    }
    resolved[index] = result === 'ATTACK' ? 1 : 2;
    return result;
  };
  const decision = resolve(0);
  // Preorder: the layout the page walks with subtreeSize.
  const preorder = new Int32Array(table.size);
  const order: number[] = [];
  const visit = (index: number): void => {
    preorder[index] = order.length;
    order.push(index);
    for (const child of table.children(index)) visit(child);
  };
  visit(0);
  let heldText = '';
  let resolvedText = '';
  for (const index of order) {
    heldText += held[index] === 0 ? '-' : held[index] === 1 ? 'A' : 'R';
    resolvedText += resolved[index] === 1 ? 'A' : 'R';
  }
  const storage = new Map<string, number>();
  table.paths.forEach((p, i) => {
    storage.set(pathKey(p), i);
  });
  const lied: Array<readonly [number, number, Letter]> = [];
  for (const sender of trace.generals.values()) {
    for (const lie of sender.lies) {
      if (lie.to !== id || lie.after === null) continue;
      const node = lie.round === 0 ? [COMMANDER] : [...lie.path, sender.id];
      const index = storage.get(pathKey(node));
      if (index !== undefined) lied.push([preorder[index] as number, sender.id, letter(lie.before)]);
    }
  }
  lied.sort((a, b) => a[0] - b[0]);
  return { lieutenant: id, held: heldText, resolved: resolvedText, lied, decision };
}

/** SM: where a received value sits among its sender's lies: (round, sender, receiver, signers before, value sent). */
const signedLieKey = (round: number, from: number, to: number, before: string, value: string) =>
  `${round}:${from}:${to}:${before}:${value}`;

/** The signers before the sender's own link: the lie's path (the commander's own order: "0"). */
function signersBefore(round: number, signers: string): string {
  if (round === 0) return String(COMMANDER);
  const cut = signers.lastIndexOf('.');
  return cut < 0 ? signers : signers.slice(0, cut);
}

/** SM: every value a traitor sent differently, by signedLieKey, with what a loyal one would have sent. */
function signedLies(trace: RunTrace): Map<string, Letter> {
  const lies = new Map<string, Letter>();
  for (const general of trace.generals.values()) {
    for (const lie of general.lies) {
      if (lie.after === null) continue;
      const before = pathKey(lie.round === 0 ? [COMMANDER] : lie.path);
      lies.set(signedLieKey(lie.round, general.id, lie.to, before, letter(lie.after)), letter(lie.before));
    }
  }
  return lies;
}

/** SM: the chains of one batch, `?` where the source did not record them. */
const chainsOf = (batch: GeneralTrace['received'][number]) =>
  Array.from(batch.values, (_, i) => batch.chains?.[i] ?? '?');

/** SM: every batch some receiver recorded, each value matched to its lie by chain, ignored values marked. */
function buildSignedArrows(trace: RunTrace): Arrow[] {
  const lies = signedLies(trace);
  const arrows: Arrow[] = [];
  for (const general of trace.generals.values()) {
    for (const batch of general.received) {
      if (!onDiagram(trace, batch.round, batch.from)) continue;
      const accepted = batch.rejected === undefined;
      const chains = chainsOf(batch);
      let lieCount = 0;
      let lieMask = '';
      let invalidMask = '';
      const invalid = new Set(accepted ? (batch.invalid ?? []) : []);
      if (accepted) {
        const mask = chains.map((signers, i) => {
          const key = signedLieKey(
            batch.round,
            batch.from,
            general.id,
            signersBefore(batch.round, signers),
            batch.values[i] ?? '',
          );
          return lies.has(key) ? '1' : '0';
        });
        lieCount = mask.filter((c) => c === '1').length;
        if (lieCount > 0) lieMask = mask.join('');
        if (invalid.size > 0) invalidMask = chains.map((_, i) => (invalid.has(i) ? '1' : '0')).join('');
      }
      arrows.push({
        round: batch.round,
        from: batch.from,
        to: general.id,
        values: batch.values,
        lies: lieCount,
        lieMask,
        ...(accepted ? {} : { rejected: batch.rejected }),
        chains,
        invalid: invalid.size,
        invalidMask,
      });
    }
  }
  return arrows.sort((a, b) => a.round - b.round || a.from - b.from || a.to - b.to);
}

/**
 * SM: one lieutenant's chains from its accepted batches, V (the values with a valid chain) and
 * choice(V), the core's rule: the single value of V, else RETREAT.
 */
function buildChainView(trace: RunTrace, general: GeneralTrace): ChainView {
  const lies = signedLies(trace);
  const chains: ReceivedChain[] = [];
  const batches = general.received
    .filter((b) => b.rejected === undefined)
    .sort((a, b) => a.round - b.round || a.from - b.from);
  for (const batch of batches) {
    const invalid = new Set(batch.invalid ?? []);
    chainsOf(batch).forEach((signers, i) => {
      const value: Letter = batch.values[i] === 'A' ? 'A' : 'R';
      const lie = lies.get(
        signedLieKey(batch.round, batch.from, general.id, signersBefore(batch.round, signers), value),
      );
      chains.push({
        round: batch.round,
        from: batch.from,
        signers,
        value,
        valid: !invalid.has(i),
        ...(lie === undefined ? {} : { lie }),
      });
    });
  }
  const v: Order[] = [];
  for (const [l, order] of [
    ['A', 'ATTACK'],
    ['R', 'RETREAT'],
  ] as const) {
    if (chains.some((c) => c.valid && c.value === l)) v.push(order);
  }
  return { lieutenant: general.id, chains, v, decision: v.length === 1 ? (v[0] as Order) : 'RETREAT' };
}

/** A fan's recorded batches: every receiver whose character is a value, none or a refusal. */
const recordedIn = (fan: KingFan) => fan.received.replace(/[ .?]/g, '').length;

/**
 * King: an arrow per recorded message when there are few (the page draws one each), else none
 * (the page draws the model's fans); counts and rounds from the fans either way.
 */
function buildKingReport(trace: RunTrace, king: KingModel, warnings: string[]): ReportModel {
  const { n, t } = trace;
  const { roster, faulty, decisions } = buildRoster(
    trace,
    (id) => kingMessagesTo(n, t, id),
    (id, decision) => {
      const general = trace.generals.get(id);
      if (general === undefined) throw new RangeError(`general ${id} has no trace`);
      return kingHolding(trace, general, king, decision, warnings);
    },
  );
  if (!trace.generals.has(COMMANDER)) {
    warnings.push(`no trace of the commander: its order ${trace.order} is assumed, and IC2 is not judged`);
  }
  const recorded = king.fans.reduce((sum, fan) => sum + recordedIn(fan), 0);
  const aggregated = recorded > AGGREGATE_ABOVE;
  const arrows: Arrow[] = [];
  if (!aggregated) {
    for (const fan of king.fans) {
      for (let to = 0; to < n; to++) {
        const mark = fan.received[to] ?? ' ';
        if (!'ARnx'.includes(mark)) continue;
        const lie = fan.lies[to] === '1';
        arrows.push({
          round: fan.round,
          from: fan.from,
          to,
          values: mark === 'A' || mark === 'R' ? mark : '',
          lies: lie ? 1 : 0,
          lieMask: lie ? '1' : '',
          ...(mark === 'x' ? { rejected: 'rejected' } : {}),
        });
      }
    }
  }
  const withheld: Withheld[] = [];
  for (const fan of king.fans) {
    for (let to = 0; to < n; to++) {
      if (fan.lies[to] === 'w') withheld.push({ round: fan.round, from: fan.from, to, values: 1 });
    }
  }
  const rounds: RoundSummary[] = king.rounds.map(({ round }) => {
    const fans = king.fans.filter((f) => f.round === round);
    let batches = 0;
    let values = 0;
    let rejected = 0;
    let lies = 0;
    let withheldHere = 0;
    for (const fan of fans) {
      for (const mark of fan.received) {
        if (mark === 'A' || mark === 'R') values++;
        if (mark === 'A' || mark === 'R' || mark === 'n') batches++;
        if (mark === 'x') rejected++;
      }
      for (const mark of fan.lies) {
        if (mark === '1') lies++;
        if (mark === 'w') withheldHere++;
      }
    }
    let elapsed: number | null = null;
    let timedOut = 0;
    for (const g of trace.generals.values()) {
      for (const timing of g.rounds) {
        if (timing.round !== round) continue;
        elapsed = Math.max(elapsed ?? 0, timing.elapsedMs);
        if (timing.timedOut) timedOut++;
      }
    }
    return {
      round,
      batches,
      batchesExpected: messagesInRound(n, round),
      values,
      lies: lies + withheldHere,
      rejected,
      withheld: withheldHere,
      elapsedMs: elapsed,
      timedOut,
      invalid: 0,
    };
  });
  const { lies, withheldValues } = lieCounts(trace);
  const delivered = rounds.reduce((sum, r) => sum + r.batches, 0);
  return {
    ...runHeader(trace),
    roster,
    arrows,
    withheld: aggregated ? [] : withheld,
    rounds,
    trees: [],
    chainViews: [],
    king,
    verdict: judge({ order: trace.order, faulty, decisions }),
    counts: {
      batches: delivered,
      batchesExpected: kingMessages(n, t),
      values: delivered,
      valuesExpected: kingMessages(n, t),
      lies,
      withheldValues,
      rejected: rounds.reduce((sum, r) => sum + r.rejected, 0),
      invalid: 0,
    },
    aggregated,
    warnings,
    unsafe: n <= 3 * t,
  };
}
