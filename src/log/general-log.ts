import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lettersOf, type Order, type Tally } from '../core/order.js';
import type { Path } from '../core/paths.js';
import type { Batch, KingConclusion, KingRoundKind, Lie, RoundOutcome } from '../core/run/types.js';
import type { GeneralMetrics } from '../metrics/general-metrics.js';
import { LineSink } from './line-sink.js';
import { loggable } from './loggable.js';
import type { ProgressLog } from './progress-log.js';

export function intermediateLogPath(logDir: string, id: number): string {
  return join(logDir, `general_${id}_intermediate.log`);
}

export function eventLogPath(logDir: string, id: number): string {
  return join(logDir, `general_${id}_events.jsonl`);
}

/** Paths are the path table's own arrays, the same in every run: each is written out once. */
const pathTexts = new WeakMap<Path, string>();
const pathText = (path: Path): string => {
  let text = pathTexts.get(path);
  if (text === undefined) {
    text = path.join('>');
    pathTexts.set(path, text);
  }
  return text;
};

/**
 * How the intermediate log shows received values: a line per value (`all`), a line per batch with
 * its values as letters in canonical path order (`batch`), or `auto`: a line per value unless a
 * lieutenant holds more than PER_VALUE_LIMIT values in the run (n=31, t=3 holds 22,766, and a line
 * for each would cost a third of the run's CPU).
 */
export const VALUE_LINES = ['auto', 'all', 'batch'] as const;
export type ValueLines = (typeof VALUE_LINES)[number];
export const PER_VALUE_LIMIT = 2000;

export interface GeneralLogOptions {
  readonly valueLines?: ValueLines;
  readonly now?: () => Date;
  /** Progress on stdout: a line per event a person follows. */
  readonly progress?: ProgressLog;
  /** Prometheus counters, when METRICS_PORT is set. */
  readonly metrics?: GeneralMetrics;
}

/**
 * Everything a general says about its work, told once per event by the driver and the server:
 * its two logs, `general_<id>_intermediate.log` for people (a line per value received, per batch
 * forwarded and per lie told) and `general_<id>_events.jsonl` for tools (an event per batch, round
 * and decision); its progress on stdout, if given; and its metrics, if given.
 */
export class GeneralLog {
  private readonly text: LineSink;
  private readonly events: LineSink;
  private readonly valueLines: ValueLines;
  private readonly now: () => Date;
  private readonly progress: ProgressLog | undefined;
  private readonly metrics: GeneralMetrics | undefined;
  private stampedAt = Number.NaN;
  private stampText = '';

  constructor(
    readonly logDir: string,
    readonly id: number,
    options: GeneralLogOptions = {},
  ) {
    this.valueLines = options.valueLines ?? 'auto';
    this.now = options.now ?? (() => new Date());
    this.progress = options.progress;
    this.metrics = options.metrics;
    mkdirSync(logDir, { recursive: true, mode: 0o777 });
    this.text = new LineSink(intermediateLogPath(logDir, id));
    this.events = new LineSink(eventLogPath(logDir, id));
  }

  /** The time as the logs write it; many lines share a millisecond, and so its text. */
  private stamp(): string {
    const date = this.now();
    const ms = date.getTime();
    if (ms !== this.stampedAt) {
      this.stampedAt = ms;
      this.stampText = date.toISOString();
    }
    return this.stampText;
  }

  get files(): string[] {
    return [this.text.path, this.events.path];
  }

  notice(message: string, fields: Record<string, unknown> = {}): void {
    this.line(`general ${this.id}: ${message}`);
    this.event('notice', { message, ...fields });
  }

  /** AUTH=off, said at every start: anyone who can reach this general can speak for another. */
  authOff(): void {
    const message =
      'authentication is off (AUTH=off): batches and control requests are not verified, so any process that can reach this general can speak for another general or the client';
    this.line(`general ${this.id}: WARNING ${message}`);
    this.event('auth-off', { message });
  }

  /**
   * A request refused, and why: RunAlgorithm or ResetLog from a caller that is not the client, a
   * run that cannot be joined, a run id that is unknown.
   */
  requestRefused(method: string, reason: string, message: string): void {
    this.line(`${method} REFUSED ${reason}: ${message}`);
    const control = method === 'RunAlgorithm' || method === 'ResetLog';
    this.event(control ? 'control-refused' : 'request-refused', { method, reason, message });
    this.progress?.requestRefused(method, reason, message);
    this.metrics?.requestRefused(method, reason);
  }

  /**
   * A stream to peer `peer` broke (and is being reopened); `graceful` when the peer ended it, as a
   * peer that stops does: on stdout that is news, not trouble.
   */
  peerTrouble(message: string, peer: number, graceful = false): void {
    this.line(`general ${this.id}: ${message}`);
    this.event('peer-trouble', { message, peer, graceful });
    this.progress?.peerTrouble(message, peer, graceful);
  }

  /** A stream to peer `peer` that had broken is open again. */
  peerBack(message: string, peer: number): void {
    this.line(`general ${this.id}: ${message}`);
    this.event('peer-back', { message, peer });
    this.progress?.peerBack(message, peer);
  }

  /** What ends the general (an injected crash): in the log and, as an error, on stdout. */
  fatal(message: string): void {
    this.line(`general ${this.id}: ${message}`);
    this.event('fatal', { message });
    this.progress?.fatal(message);
  }

  /** The commander's part in a run is done: its order answered by `delivered` of the lieutenants. */
  orderDelivered(run: string, order: Order, delivered: number, lieutenants: number): void {
    this.progress?.orderDelivered(run, order, delivered, lieutenants);
  }

  runStarted(
    run: string,
    fields: { algorithm: string; n: number; t: number; strategy: string; order?: Order },
  ): void {
    const order = fields.order === undefined ? '' : ` order=${fields.order}`;
    this.line(
      `run=${run} start algorithm=${fields.algorithm} n=${fields.n} t=${fields.t} strategy=${fields.strategy}${order}`,
    );
    this.event('run-started', { run, ...fields });
    this.progress?.joined(run, fields);
    this.metrics?.runJoined(fields.algorithm);
  }

  /** Whether a run with `valuesPerLieutenant` values gets a line per value. */
  linePerValue(valuesPerLieutenant: number): boolean {
    if (this.valueLines === 'auto') return valuesPerLieutenant <= PER_VALUE_LIMIT;
    return this.valueLines === 'all';
  }

  /**
   * `paths` is only called when the values get a line each. Under SM, `chains` (the signers of each
   * value's chain) go into the event as `chains: ["0.2.1", ...]`, so a report can show them.
   */
  batchReceived(
    run: string,
    round: number,
    from: number,
    values: readonly Order[],
    perValue: boolean,
    paths: () => readonly Path[],
    chains?: ReadonlyArray<{ readonly signers: readonly number[] }>,
  ): void {
    const letters = lettersOf(values);
    // One timestamp per batch: a batch can hold thousands of values.
    const prefix = `${this.stamp()} run=${run} round=${round} from=${from}`;
    if (perValue) {
      const held = paths();
      for (let i = 0; i < values.length; i++) {
        this.text.add(`${prefix} path=${pathText(held[i] ?? [])} value=${values[i]}`);
      }
    } else {
      this.text.add(`${prefix} values(${values.length}, canonical path order)=${letters}`);
    }
    this.event('batch-received', {
      run,
      round,
      from,
      to: this.id,
      values: letters,
      ...(chains === undefined ? {} : { chains: chains.map((c) => c.signers.join('.')) }),
    });
    this.progress?.batchReceived(run, round, from, values.length);
    this.metrics?.batchReceived(values.length);
  }

  /**
   * King: one message received, a line each (`value=ATTACK`, `propose=none`, `king=RETREAT`), and
   * the same `batch-received` event as OM's (values empty for propose(none)).
   */
  kingMessage(run: string, round: number, from: number, kind: KingRoundKind, value: Order | undefined): void {
    this.text.add(`${this.stamp()} run=${run} round=${round} from=${from} ${kind}=${value ?? 'none'}`);
    this.event('batch-received', {
      run,
      round,
      from,
      to: this.id,
      values: value === undefined ? '' : lettersOf([value]),
    });
    this.progress?.batchReceived(run, round, from, value === undefined ? 0 : 1);
    this.metrics?.batchReceived(value === undefined ? 0 : 1);
  }

  /**
   * King: what one round did to x, a line for people (the counts c or P against n-t and t, the
   * king's value) and a `king-round` event with the same facts, from which a report rebuilds the phases.
   */
  kingRound(run: string, conclusion: KingConclusion, n: number, t: number): void {
    const c = conclusion;
    const at = `run=${run} round=${c.round}${c.phase === 0 ? '' : ` phase=${c.phase}`}`;
    const counts = (letter: string, tally: Tally) =>
      `${letter}(ATTACK)=${tally.attack} ${letter}(RETREAT)=${tally.retreat}`;
    let text: string;
    switch (c.kind) {
      case 'order':
        text = `order: ${c.heard === null ? 'nothing arrived, read as RETREAT' : `heard ${c.heard}`} -> x=${c.x}`;
        break;
      case 'value':
        text = `value: ${counts('c', c.counts)} (n-t=${n - t}) -> ${c.proposal === null ? 'propose(none)' : `propose ${c.proposal}`}`;
        break;
      case 'propose': {
        const over = c.counts.attack > t ? 'P(ATTACK)' : c.counts.retreat > t ? 'P(RETREAT)' : undefined;
        const why = over === undefined ? `neither > t=${t}: x stays ${c.x}` : `${over} > t=${t}: x=${c.x}`;
        text = `propose: ${counts('P', c.counts)}; ${why}`;
        break;
      }
      case 'king': {
        const sent =
          c.king === this.id
            ? 'this general is the king'
            : `king ${c.king} sent ${c.heard ?? 'nothing (read as RETREAT)'}`;
        const why =
          c.king === this.id
            ? `keeps x=${c.x}`
            : c.kept
              ? `P(x)=${c.support} >= n-t=${n - t}: keeps x=${c.x}`
              : `P(x)=${c.support} < n-t=${n - t}: x=${c.x} (the king's)`;
        text = `king: ${sent}; ${why}`;
        break;
      }
    }
    this.line(`${at} ${text}`);
    this.event('king-round', { run, ...c });
  }

  /** SM: values of an accepted batch whose chain did not verify, ignored (a forgery caught). */
  chainsIgnored(run: string, batch: Batch, positions: readonly number[]): void {
    const chains = positions.map((i) => ({
      chain: (batch.chains?.[i]?.signers ?? []).join('.'),
      value: batch.values[i] ?? 'RETREAT',
    }));
    for (const { chain, value } of chains) {
      this.line(
        `run=${run} round=${batch.round} from=${batch.sender} chain=${chain} value=${value} IGNORED: a signature in the chain does not verify`,
      );
    }
    this.event('chains-ignored', { run, round: batch.round, from: batch.sender, to: this.id, chains });
    this.progress?.chainsIgnored(run, batch.round, batch.sender, positions.length);
    this.metrics?.valuesIgnoredBy(positions.length);
  }

  batchRejected(run: string, round: number, from: number, code: string, message: string): void {
    this.line(`run=${run} round=${round} from=${from} REJECTED ${code}: ${message}`);
    this.event('batch-rejected', { run, round, from, to: this.id, code, message });
    this.progress?.batchRejected(run, round, from, code, message);
    this.metrics?.batchRejected(code);
  }

  /**
   * A batch this general sent, once its receiver answered: a line saying so (ISSUED for the
   * commander's order in round 0, FORWARDED for a lieutenant's relay), with each value and the
   * path its receiver holds it under when `paths` is given (where the run's values get a line
   * each), else the count alone; or, given an `error`, SEND FAILED with why.
   */
  batchSent(
    run: string,
    round: number,
    to: number,
    values: readonly Order[],
    error?: string,
    paths?: () => readonly Path[],
  ): void {
    const count = `${values.length} value${values.length === 1 ? '' : 's'}`;
    const prefix = `${this.stamp()} run=${run} round=${round} to=${to}`;
    if (error !== undefined) {
      this.text.add(`${prefix} SEND FAILED (${count}): ${loggable(error)}`);
    } else {
      const verb = round === 0 ? 'ISSUED' : 'FORWARDED';
      this.text.add(
        `${prefix} ${verb} ${count}${paths === undefined ? '' : `: ${valuesText(values, paths())}`}`,
      );
    }
    this.event('batch-sent', {
      run,
      round,
      from: this.id,
      to,
      values: lettersOf(values),
      ...(error === undefined ? {} : { error }),
    });
    this.progress?.batchSent(run, round, to, values.length, error);
    this.metrics?.batchSent(values.length, error !== undefined);
  }

  lies(run: string, strategy: string, lies: readonly Lie[]): void {
    const ts = this.stamp();
    for (const lie of lies) {
      const after = lie.after ?? 'nothing (withheld)';
      this.text.add(
        `${ts} run=${run} round=${lie.round} to=${lie.receiver} path=${pathText(lie.path)} LIE ${strategy}: ${lie.before} -> ${after}`,
      );
    }
    if (lies.length > 0) {
      this.event('lies', {
        run,
        strategy,
        lies: lies.map((l) => [l.round, l.receiver, l.path.join('.'), l.before[0], l.after?.[0] ?? '-']),
      });
      this.metrics?.lies(lies.length);
    }
  }

  roundClosed(run: string, outcome: RoundOutcome, elapsedMs: number): void {
    const how = outcome.timedOut ? `deadline passed, missing from ${outcome.missing.join(',')}` : 'complete';
    this.line(
      `run=${run} round=${outcome.round} closed: ${outcome.batchesReceived}/${outcome.batchesExpected} batches, ${how} (${elapsedMs.toFixed(1)} ms)`,
    );
    this.event('round-closed', { run, ...outcome, elapsedMs });
    this.progress?.roundClosed(run, outcome, elapsedMs);
    this.metrics?.roundClosed(outcome.timedOut, elapsedMs);
  }

  /** A lieutenant's decision, `elapsedMs` after it joined the run. */
  decided(run: string, decision: Order, tally: Tally, elapsedMs?: number): void {
    this.line(`run=${run} DECISION ${decision} (ATTACK ${tally.attack}, RETREAT ${tally.retreat})`);
    this.event('decided', { run, decision, tally });
    this.progress?.decided(run, decision, tally, elapsedMs);
    this.metrics?.decided(decision);
  }

  /** An injected fault acting (crash, delay, drop): a FAULT line and a `fault` event. */
  fault(
    run: string,
    kind: 'crash' | 'delay' | 'drop',
    text: string,
    fields: Record<string, unknown> = {},
  ): void {
    this.line(`run=${run} FAULT ${kind}: ${text}`);
    this.event('fault', { run, fault: kind, ...fields });
    this.progress?.fault(run, kind, text);
  }

  async reset(): Promise<string[]> {
    await Promise.all([this.text.truncate(), this.events.truncate()]);
    return this.files;
  }

  /** Resolves once everything logged so far is on disk (and on stdout). */
  async flush(): Promise<void> {
    await Promise.all([this.text.flush(), this.events.flush(), this.progress?.flush()]);
  }

  close(): Promise<void> {
    return Promise.all([this.text.close(), this.events.close(), this.progress?.flush()]).then(
      () => undefined,
    );
  }

  private line(text: string): void {
    this.text.add(`${this.stamp()} ${loggable(text)}`);
  }

  private event(type: string, fields: Record<string, unknown>): void {
    this.events.add(JSON.stringify({ ts: this.stamp(), general: this.id, type, ...fields }));
  }
}

/** `0>1>3=ATTACK 0>2>3=RETREAT ...`: each value with the path its receiver holds it under. */
function valuesText(values: readonly Order[], paths: readonly Path[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    out += `${i === 0 ? '' : ' '}${pathText(paths[i] ?? [])}=${values[i]}`;
  }
  return out;
}
