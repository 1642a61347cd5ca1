import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Algorithm } from '../core/algorithm.js';
import type { Order } from '../core/order.js';
import type { PhaseRecord } from '../core/run/types.js';
import type { GeneralTrace, ReceivedBatch, RoundTiming, RunTrace, ToldLie } from './trace.js';
import { TraceSource } from './trace.js';

/**
 * Reads the generals' JSON-lines event logs (general_<id>_events.jsonl, one file per general, every
 * run it served appended) back into the trace of one run.
 */

export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}

const order = z.enum(['ATTACK', 'RETREAT']);
const letters = z.string().regex(/^[AR]*$/);
const base = { ts: z.string(), general: z.number().int().min(0), run: z.string() };

const eventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('run-started'),
    // Logs written before SM existed name no algorithm: they are OM runs.
    algorithm: z.enum(['om', 'sm', 'king']).default('om'),
    n: z.number().int().min(2),
    t: z.number().int().min(0),
    strategy: z.string(),
    order: order.optional(),
  }),
  z.object({
    ...base,
    type: z.literal('batch-received'),
    round: z.number().int().min(0),
    from: z.number().int().min(0),
    values: letters,
    // SM: the signers of each value's chain, `0.2.1`, in value order.
    chains: z.array(z.string().regex(/^\d+(\.\d+)*$/)).optional(),
  }),
  z.object({
    ...base,
    type: z.literal('chains-ignored'),
    round: z.number().int().min(0),
    from: z.number().int().min(0),
    chains: z.array(z.object({ chain: z.string(), value: order })),
  }),
  z.object({
    ...base,
    type: z.literal('batch-rejected'),
    round: z.number(),
    from: z.number(),
    code: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('lies'),
    lies: z.array(
      z.tuple([z.number().int(), z.number().int(), z.string(), z.enum(['A', 'R']), z.enum(['A', 'R', '-'])]),
    ),
  }),
  z.object({
    ...base,
    type: z.literal('round-closed'),
    round: z.number().int(),
    batchesExpected: z.number(),
    batchesReceived: z.number(),
    timedOut: z.boolean(),
    elapsedMs: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('king-round'),
    kind: z.enum(['order', 'value', 'propose', 'king']),
    round: z.number().int().min(0),
    phase: z.number().int().min(0),
    king: z.number().int().min(0).optional(),
    counts: z.object({ attack: z.number(), retreat: z.number() }).optional(),
    proposal: order.nullable().optional(),
    heard: order.nullable().optional(),
    kept: z.boolean().optional(),
    x: order,
  }),
  z.object({
    ...base,
    type: z.literal('decided'),
    decision: order,
    tally: z.object({ attack: z.number(), retreat: z.number() }),
  }),
]);
export type RunEvent = z.infer<typeof eventSchema>;

const REPORT_EVENTS: ReadonlySet<string> = new Set(eventSchema.options.map((o) => o.shape.type.value));

const EVENT_FILE = /^general_(\d+)_events\.jsonl$/;

export interface EventLogs {
  /** Parsed events by general id (from the file name), in file order. */
  readonly byGeneral: ReadonlyMap<number, readonly RunEvent[]>;
  /** Lines that were not JSON or not a known event, skipped. */
  readonly skipped: number;
}

/** Parses one event log's text; lines of other event types (notices) are ignored. */
export function parseEventLines(text: string): { events: RunEvent[]; skipped: number } {
  const events: RunEvent[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined;
    // Events the report does not use (notices, batch-sent) are fine; a known one that is malformed is not.
    if (typeof type !== 'string' || !REPORT_EVENTS.has(type)) {
      if (typeof type !== 'string') skipped++;
      continue;
    }
    const parsed = eventSchema.safeParse(json);
    if (parsed.success) events.push(parsed.data);
    else skipped++;
  }
  return { events, skipped };
}

/** Reads every general_<id>_events.jsonl in `logDir`. */
export function readEventLogs(logDir: string): EventLogs {
  let names: string[];
  try {
    names = readdirSync(logDir);
  } catch (error) {
    throw new ReportInputError(`cannot read log directory ${logDir}: ${(error as Error).message}`);
  }
  const byGeneral = new Map<number, RunEvent[]>();
  let skipped = 0;
  for (const name of names) {
    const match = EVENT_FILE.exec(name);
    if (match?.[1] === undefined) continue;
    const parsed = parseEventLines(readFileSync(join(logDir, name), 'utf8'));
    byGeneral.set(Number(match[1]), parsed.events);
    skipped += parsed.skipped;
  }
  if (byGeneral.size === 0) {
    throw new ReportInputError(`no general_<id>_events.jsonl files in ${logDir}`);
  }
  return { byGeneral, skipped };
}

export interface RunListing {
  readonly runId: string;
  readonly startedAt: string;
  readonly n: number;
  readonly t: number;
  readonly algorithm: Algorithm;
  readonly generals: number;
}

/** The runs the logs know of, oldest first (by their first run-started event). */
export function listRuns(logs: EventLogs): RunListing[] {
  type Seen = { startedAt: string; n: number; t: number; algorithm: Algorithm; generals: Set<number> };
  const runs = new Map<string, Seen>();
  for (const [id, events] of logs.byGeneral) {
    for (const event of events) {
      if (event.type !== 'run-started') continue;
      const { n, t, algorithm } = event;
      const run = runs.get(event.run) ?? { startedAt: event.ts, n, t, algorithm, generals: new Set() };
      if (event.ts < run.startedAt) run.startedAt = event.ts;
      run.generals.add(id);
      runs.set(event.run, run);
    }
  }
  return [...runs]
    .map(([runId, r]) => ({
      runId,
      startedAt: r.startedAt,
      n: r.n,
      t: r.t,
      algorithm: r.algorithm,
      generals: r.generals.size,
    }))
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}

const orderOfLetter = (l: 'A' | 'R'): Order => (l === 'A' ? 'ATTACK' : 'RETREAT');

type KingRoundEvent = Extract<RunEvent, { type: 'king-round' }>;

/** King: a general's phases rebuilt from its king-round events (value, propose, king, in order). */
class PhaseLog {
  readonly records: PhaseRecord[] = [];
  private draft: Partial<Record<'value' | 'propose', KingRoundEvent>> = {};

  add(event: KingRoundEvent): void {
    if (event.kind === 'order') return;
    if (event.kind !== 'king') {
      this.draft[event.kind] = event;
      return;
    }
    const { value, propose } = this.draft;
    this.draft = {};
    if (value === undefined || propose === undefined || value.phase !== event.phase) return;
    this.records.push({
      phase: event.phase,
      king: event.king ?? event.phase - 1,
      start: value.x,
      values: value.counts ?? { attack: 0, retreat: 0 },
      proposal: value.proposal ?? null,
      proposals: propose.counts ?? { attack: 0, retreat: 0 },
      kingValue: event.heard ?? null,
      tookKing: event.kept === false,
      x: event.x,
    });
  }
}

type ChainsIgnored = Extract<RunEvent, { type: 'chains-ignored' }>;

/**
 * SM: marks the values of an accepted batch that a `chains-ignored` event names (by chain and value)
 * as invalid. The event follows its batch's `batch-received`; one batch per sender and round is
 * accepted, so (round, from) finds it.
 */
function markIgnored(received: ReceivedBatch[], event: ChainsIgnored): void {
  const index = received.findLastIndex(
    (b) => b.round === event.round && b.from === event.from && b.rejected === undefined,
  );
  const batch = received[index];
  if (batch === undefined) return;
  const invalid = new Set(batch.invalid ?? []);
  for (const { chain, value } of event.chains) {
    for (let i = 0; i < batch.values.length; i++) {
      if (invalid.has(i) || batch.values[i] !== value[0]) continue;
      if (batch.chains !== undefined && batch.chains[i] !== chain) continue;
      invalid.add(i);
      break;
    }
  }
  received[index] = { ...batch, invalid: [...invalid].sort((a, b) => a - b) };
}

/** The trace of run `runId` (default: the latest run in the logs). */
export function traceFromLogs(logs: EventLogs, runId?: string): RunTrace {
  const runs = listRuns(logs);
  if (runs.length === 0) throw new ReportInputError('the logs hold no run (no run-started event)');
  const listing = runId === undefined ? runs[runs.length - 1] : runs.find((r) => r.runId === runId);
  if (listing === undefined) {
    throw new ReportInputError(
      `no run "${runId}" in the logs; runs found: ${runs.map((r) => r.runId).join(', ')}`,
    );
  }
  const { n, t } = listing;
  const generals = new Map<number, GeneralTrace>();
  const missing = new Map<number, string>();
  let runOrder: Order | undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let id = 0; id < n; id++) {
    const events = logs.byGeneral.get(id);
    if (events === undefined) {
      missing.set(id, `no general_${id}_events.jsonl`);
      continue;
    }
    let strategy: string | undefined;
    const received: ReceivedBatch[] = [];
    const lies: ToldLie[] = [];
    const rounds: RoundTiming[] = [];
    let decided: { decision: Order; tally: { attack: number; retreat: number } } | undefined;
    const phases = new PhaseLog();
    for (const event of events) {
      if (event.run !== listing.runId) continue;
      const ms = Date.parse(event.ts);
      if (Number.isFinite(ms)) {
        first = Math.min(first, ms);
        last = Math.max(last, ms);
      }
      switch (event.type) {
        case 'run-started':
          strategy = event.strategy;
          if (id === 0 && event.order !== undefined) runOrder = event.order;
          break;
        case 'batch-received':
          received.push({
            round: event.round,
            from: event.from,
            values: event.values,
            ...(event.chains === undefined ? {} : { chains: event.chains }),
          });
          break;
        case 'chains-ignored':
          markIgnored(received, event);
          break;
        case 'batch-rejected':
          received.push({ round: event.round, from: event.from, values: '', rejected: event.code });
          break;
        case 'lies':
          for (const [round, to, path, before, after] of event.lies) {
            lies.push({
              round,
              to,
              path: path === '' ? [] : path.split('.').map(Number),
              before: orderOfLetter(before),
              after: after === '-' ? null : orderOfLetter(after),
            });
          }
          break;
        case 'round-closed':
          rounds.push({
            round: event.round,
            batchesExpected: event.batchesExpected,
            batchesReceived: event.batchesReceived,
            timedOut: event.timedOut,
            elapsedMs: event.elapsedMs,
          });
          break;
        case 'decided':
          decided = { decision: event.decision, tally: event.tally };
          break;
        case 'king-round':
          phases.add(event);
          break;
      }
    }
    if (strategy === undefined) {
      missing.set(id, `general ${id}'s log has no events of run ${listing.runId}`);
      continue;
    }
    generals.set(id, {
      id,
      strategy,
      received,
      lies,
      rounds,
      ...(decided === undefined ? {} : { decision: decided.decision, tally: decided.tally }),
      ...(listing.algorithm === 'king' ? { phases: phases.records } : {}),
    });
  }
  return {
    runId: listing.runId,
    algorithm: listing.algorithm,
    n,
    t,
    order: runOrder ?? 'RETREAT',
    source: TraceSource.logs,
    generals,
    missing,
    startedAt: listing.startedAt,
    ...(Number.isFinite(first) && Number.isFinite(last) ? { elapsedMs: last - first } : {}),
  };
}
