import type { Order, Tally } from '../core/order.js';
import type { RoundOutcome } from '../core/run/types.js';
import { LineSink } from './line-sink.js';
import { loggable } from './loggable.js';

/**
 * What a general prints on stdout while it works, for whoever watches its container: a line per
 * event a person follows (joined a run, closed a round, decided, refused a request, lost a stream),
 * never a line per value. Text for people, or one JSON object per line for log collectors.
 */
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * debug: also a line per batch received and forwarded; info (the default): the run's progress;
 * warn: only what went wrong (rounds that timed out, refusals, failed streams, faults); error: only
 * what ends the general; silent: nothing.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
type Severity = Exclude<LogLevel, 'silent'>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Lines waiting for stdout before new ones are dropped (and counted): a reader that stops reading
 * must not grow the general's memory without end. A run prints a few lines per round.
 */
const MAX_PENDING_LINES = 10_000;

/** Where lines go: the real stdout, or a test's array. */
export interface LineOut {
  add(line: string): void;
  flush(): Promise<void>;
}

export interface ProgressOptions {
  readonly format: LogFormat;
  readonly level: LogLevel;
  readonly now?: () => Date;
}

export class ProgressLog {
  private readonly threshold: number;
  private readonly render: Renderer;

  constructor(
    readonly id: number,
    options: ProgressOptions,
    private readonly out: LineOut,
  ) {
    this.threshold = RANK[options.level];
    this.render = lineRenderer(id, options);
  }

  /**
   * To this process's stdout, written in the background in batches (never a write per line on the
   * path of a batch): the sink writes descriptor 1 from the thread pool, as the file logs do.
   */
  static toStdout(id: number, options: ProgressOptions): ProgressLog {
    const render = lineRenderer(id, options);
    const sink = LineSink.onDescriptor(1, 'stdout', MAX_PENDING_LINES, (count) =>
      render('warn', 'lines-dropped', `${count} line(s) dropped: stdout was not read fast enough`, {
        dropped: count,
      }),
    );
    return new ProgressLog(id, options, sink);
  }

  /** Whether lines of `level` are printed: callers on the hot path ask before building a line. */
  wants(level: Severity): boolean {
    return RANK[level] >= this.threshold;
  }

  listening(host: string, port: number, fields: { n: number; strategy: string; auth: 'on' | 'off' }): void {
    this.say(
      'info',
      'listening',
      `listening on ${host}:${port} (${fields.strategy}, ${fields.n} generals, auth ${fields.auth})`,
      { host, port, ...fields },
    );
  }

  metricsListening(url: string): void {
    this.say('info', 'metrics-listening', `metrics on ${url}`, { url });
  }

  joined(
    run: string,
    fields: { algorithm: string; n: number; t: number; strategy: string; order?: Order },
  ): void {
    if (!this.wants('info')) return;
    const role = fields.order === undefined ? '' : `, commander with order ${fields.order}`;
    this.say(
      'info',
      'run-joined',
      `run ${run} joined: ${fields.algorithm.toUpperCase()}(${fields.t}), n=${fields.n}, t=${fields.t}, strategy ${fields.strategy}${role}`,
      { run, ...fields },
    );
  }

  /** A complete round at info; one closed by its deadline, with the senders still missing, at warn. */
  roundClosed(run: string, outcome: RoundOutcome, elapsedMs: number): void {
    const level = outcome.timedOut ? 'warn' : 'info';
    if (!this.wants(level)) return;
    const how = outcome.timedOut ? `timed out, missing ${outcome.missing.join(',')}` : 'complete';
    this.say(
      level,
      'round-closed',
      `run ${run} round ${outcome.round} closed: ${outcome.batchesReceived}/${outcome.batchesExpected} batches, ${how} (${elapsedMs.toFixed(1)} ms)`,
      { run, ...outcome, elapsedMs: round1(elapsedMs) },
    );
  }

  decided(run: string, decision: Order, tally: Tally, elapsedMs?: number): void {
    if (!this.wants('info')) return;
    this.say(
      'info',
      'decided',
      `run ${run} decided ${decision} (ATTACK ${tally.attack}, RETREAT ${tally.retreat})${elapsedMs === undefined ? '' : ` in ${elapsedMs.toFixed(1)} ms`}`,
      { run, decision, tally, ...(elapsedMs === undefined ? {} : { elapsedMs: round1(elapsedMs) }) },
    );
  }

  /** The commander's part is done once every lieutenant has answered its order. */
  orderDelivered(run: string, order: Order, delivered: number, lieutenants: number): void {
    const level = delivered === lieutenants ? 'info' : 'warn';
    if (!this.wants(level)) return;
    this.say(
      level,
      'order-delivered',
      `run ${run} order ${order} delivered to ${delivered}/${lieutenants} lieutenants`,
      { run, order, delivered, lieutenants },
    );
  }

  /** A request refused: RunAlgorithm, ResetLog, GetDecision or GetTrace, and why. */
  requestRefused(method: string, reason: string, message: string): void {
    this.say('warn', 'request-refused', `${method} refused (${reason}): ${message}`, {
      method,
      reason,
      message,
    });
  }

  batchRejected(run: string, round: number, from: number, reason: string, message: string): void {
    if (!this.wants('warn')) return;
    this.say(
      'warn',
      'batch-rejected',
      `run ${run} round ${round} batch from ${from} rejected (${reason}): ${message}`,
      { run, round, from, reason, message },
    );
  }

  chainsIgnored(run: string, round: number, from: number, count: number): void {
    if (!this.wants('warn')) return;
    this.say(
      'warn',
      'chains-ignored',
      `run ${run} round ${round} from ${from}: ${count} chain(s) ignored, a signature does not verify`,
      { run, round, from, count },
    );
  }

  batchReceived(run: string, round: number, from: number, values: number): void {
    if (!this.wants('debug')) return;
    this.say('debug', 'batch-received', `run ${run} round ${round} from ${from}: ${values} value(s)`, {
      run,
      round,
      from,
      values,
    });
  }

  batchSent(run: string, round: number, to: number, values: number, error?: string): void {
    if (error !== undefined) {
      this.say('warn', 'send-failed', `run ${run} round ${round} batch to ${to} failed: ${error}`, {
        run,
        round,
        to,
        values,
        error,
      });
      return;
    }
    if (!this.wants('debug')) return;
    this.say('debug', 'batch-sent', `run ${run} round ${round} to ${to}: ${values} value(s)`, {
      run,
      round,
      to,
      values,
    });
  }

  /** A stream to a peer broke, or came back. */
  peerTrouble(message: string, peer: number, graceful = false): void {
    this.say(graceful ? 'info' : 'warn', 'peer-trouble', message, { peer, graceful });
  }

  peerBack(message: string, peer: number): void {
    this.say('info', 'peer-back', message, { peer });
  }

  fault(run: string, kind: string, text: string): void {
    this.say('warn', 'fault', `run ${run} injected fault ${kind}: ${text}`, { run, fault: kind });
  }

  /** Lifecycle: signals, stopping, stopped. */
  notice(message: string): void {
    this.say('info', 'notice', message, {});
  }

  /** What ends the general (an injected crash, say). */
  fatal(message: string): void {
    this.say('error', 'fatal', message, {});
  }

  flush(): Promise<void> {
    return this.out.flush();
  }

  private say(level: Severity, type: string, message: string, fields: Record<string, unknown>): void {
    if (!this.wants(level)) return;
    this.out.add(this.render(level, type, message, fields));
  }
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

type Renderer = (level: Severity, type: string, message: string, fields: Record<string, unknown>) => string;

/** Text: `<ISO time> <LEVEL> general <id>: <message>`; json: one object with the event's fields. */
function lineRenderer(id: number, options: ProgressOptions): Renderer {
  const now = options.now ?? (() => new Date());
  if (options.format === 'json') {
    return (level, type, message, fields) =>
      JSON.stringify({ ts: now().toISOString(), level, general: id, type, msg: message, ...fields });
  }
  return (level, _type, message) =>
    `${now().toISOString()} ${level.toUpperCase().padEnd(5)} general ${id}: ${loggable(message)}`;
}
