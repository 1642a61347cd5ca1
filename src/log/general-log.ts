import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lettersOf, type Order, type Tally } from '../core/order.js';
import type { Path } from '../core/paths.js';
import type { Batch, Lie, RoundOutcome } from '../core/run/types.js';
import { LineSink } from './line-sink.js';
import { loggable } from './loggable.js';

export function intermediateLogPath(logDir: string, id: number): string {
  return join(logDir, `general_${id}_intermediate.log`);
}

export function eventLogPath(logDir: string, id: number): string {
  return join(logDir, `general_${id}_events.jsonl`);
}

const pathText = (path: Path) => path.join('>');

/**
 * How the intermediate log shows received values: a line per value (`all`), a line per batch with
 * its values as letters in canonical path order (`batch`), or `auto`: a line per value unless a
 * lieutenant holds more than PER_VALUE_LIMIT values in the run (n=31, t=3 holds 22,766, and a line
 * for each would cost a third of the run's CPU).
 */
export const VALUE_LINES = ['auto', 'all', 'batch'] as const;
export type ValueLines = (typeof VALUE_LINES)[number];
export const PER_VALUE_LIMIT = 2000;

/**
 * One general's two logs: `general_<id>_intermediate.log` for people (a line per value received and
 * per lie told) and `general_<id>_events.jsonl` for tools (an event per batch, round and decision).
 */
export class GeneralLog {
  private readonly text: LineSink;
  private readonly events: LineSink;

  constructor(
    readonly logDir: string,
    readonly id: number,
    private readonly valueLines: ValueLines = 'auto',
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(logDir, { recursive: true, mode: 0o777 });
    this.text = new LineSink(intermediateLogPath(logDir, id));
    this.events = new LineSink(eventLogPath(logDir, id));
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

  /** A RunAlgorithm or ResetLog refused for its auth (unsigned, bad signature, stale, replayed). */
  controlRefused(method: string, reason: string, message: string): void {
    this.line(`${method} REFUSED ${reason}: ${message}`);
    this.event('control-refused', { method, reason, message });
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
    const prefix = `${this.now().toISOString()} run=${run} round=${round} from=${from}`;
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
  }

  batchRejected(run: string, round: number, from: number, code: string, message: string): void {
    this.line(`run=${run} round=${round} from=${from} REJECTED ${code}: ${message}`);
    this.event('batch-rejected', { run, round, from, to: this.id, code, message });
  }

  batchSent(run: string, round: number, to: number, values: readonly Order[], error?: string): void {
    if (error !== undefined) this.line(`run=${run} round=${round} to=${to} SEND FAILED: ${error}`);
    this.event('batch-sent', {
      run,
      round,
      from: this.id,
      to,
      values: lettersOf(values),
      ...(error === undefined ? {} : { error }),
    });
  }

  lies(run: string, strategy: string, lies: readonly Lie[]): void {
    const ts = this.now().toISOString();
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
    }
  }

  roundClosed(run: string, outcome: RoundOutcome, elapsedMs: number): void {
    const how = outcome.timedOut ? `deadline passed, missing from ${outcome.missing.join(',')}` : 'complete';
    this.line(
      `run=${run} round=${outcome.round} closed: ${outcome.batchesReceived}/${outcome.batchesExpected} batches, ${how} (${elapsedMs.toFixed(1)} ms)`,
    );
    this.event('round-closed', { run, ...outcome, elapsedMs });
  }

  decided(run: string, decision: Order, tally: Tally): void {
    this.line(`run=${run} DECISION ${decision} (ATTACK ${tally.attack}, RETREAT ${tally.retreat})`);
    this.event('decided', { run, decision, tally });
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
  }

  async reset(): Promise<string[]> {
    await Promise.all([this.text.truncate(), this.events.truncate()]);
    return this.files;
  }

  /** Resolves once everything logged so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all([this.text.flush(), this.events.flush()]);
  }

  close(): Promise<void> {
    return Promise.all([this.text.close(), this.events.close()]).then(() => undefined);
  }

  private line(text: string): void {
    this.text.add(`${this.now().toISOString()} ${loggable(text)}`);
  }

  private event(type: string, fields: Record<string, unknown>): void {
    this.events.add(JSON.stringify({ ts: this.now().toISOString(), general: this.id, type, ...fields }));
  }
}
