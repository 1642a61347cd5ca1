import { performance } from 'node:perf_hooks';
import type { GeneralFaults } from '../config/faults.js';
import type { Algorithm } from '../core/algorithm.js';
import { roundKind } from '../core/king/phases.js';
import type { Order } from '../core/order.js';
import type { Path } from '../core/paths.js';
import {
  type Batch,
  isRejection,
  type ProtocolRun,
  type Rejection,
  type RejectionCode,
  type Step,
} from '../core/run/types.js';
import { formatStrategy } from '../core/strategy.js';
import type { GeneralLog } from '../log/general-log.js';
import { RunRecord } from './run-record.js';

/** Injected faults, applied where batches leave and rounds start; `crash` ends the process. */
export interface DriverFaults extends GeneralFaults {
  /** Called once, when the crash round starts; the driver sends and answers nothing after it. */
  readonly crash?: (round: number) => void;
}

/** Delivers one batch to its receiver; resolves once the receiver accepted it, rejects with why not. */
export type SendBatch = (batch: Batch) => Promise<unknown>;

/**
 * Drives one general's run (OM or SM) in real time: delivers what it sends, logs what it learns, and fires each
 * round's deadline when that round has waited `roundTimeoutMs` since it began.
 */
export class RunDriver {
  readonly run: ProtocolRun;
  /** What this general received and the lies it told, for GetTrace; round watchers, for WatchRun. */
  readonly record = new RunRecord();
  private readonly perValue: boolean;
  rpcsAccepted = 0;
  batchesRejected = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = performance.now();
  private roundStartedAt = this.startedAt;
  private finishedAt: number | undefined;
  private readonly waiters: Array<() => void> = [];
  private pendingSends = 0;
  private crashed = false;
  private orderAnswered = false;
  /** Round-0 batches (the commander's order) still unanswered, and those accepted. */
  private orderSends = 0;
  private ordersAccepted = 0;

  constructor(
    run: ProtocolRun,
    readonly algorithm: Algorithm,
    private readonly send: SendBatch,
    private readonly log: GeneralLog,
    readonly roundTimeoutMs: number,
    private readonly faults: DriverFaults = {},
  ) {
    this.run = run;
    const { spec } = run;
    // SM values are few (at most two per batch) and each chain is worth a line.
    this.perValue = algorithm === 'sm' || log.linePerValue(this.run.expectedValues);
    log.runStarted(spec.runId, {
      algorithm,
      n: spec.n,
      t: spec.t,
      strategy: formatStrategy(spec.strategy),
      ...(spec.order === undefined ? {} : { order: spec.order }),
    });
  }

  get runId(): string {
    return this.run.spec.runId;
  }

  get finished(): boolean {
    return this.run.finished;
  }

  get elapsedMs(): number {
    return (this.finishedAt ?? performance.now()) - this.startedAt;
  }

  start(): void {
    if (this.crashIfDue(0)) return;
    this.apply(this.run.start());
  }

  /**
   * The injected crash: when round `round` starts at or after FAULT_CRASH_ROUND (within this run's
   * rounds), log it and hand over to `faults.crash`; from then on nothing is sent or answered.
   */
  private crashIfDue(round: number): boolean {
    if (this.crashed) return true;
    const at = this.faults.crashRound;
    if (at === undefined || round < at || at > this.run.lastRound) return false;
    this.crashed = true;
    this.dispose();
    this.log.fault(this.runId, 'crash', `exiting as round ${at} starts`, { round: at });
    this.faults.crash?.(at);
    return true;
  }

  receive(batch: Batch): Rejection | number {
    const result = this.run.receive(batch);
    if (isRejection(result)) {
      this.refuse(batch, result.code, result.message);
      return result;
    }
    const stored = result.stored ?? new Int32Array(0);
    const invalid = result.invalid ?? [];
    this.record.batch(batch, undefined, invalid);
    if (this.algorithm === 'king') {
      this.log.kingMessage(this.runId, batch.round, batch.sender, roundKind(batch.round), batch.values[0]);
    } else {
      this.log.batchReceived(
        this.runId,
        batch.round,
        batch.sender,
        batch.values,
        this.perValue,
        () => Array.from(stored, (index) => this.run.pathAt(index)),
        batch.chains,
      );
    }
    if (invalid.length > 0) this.log.chainsIgnored(this.runId, batch, invalid);
    this.apply(result);
    return stored.length - invalid.length;
  }

  /** A batch refused before or by the core: counted, recorded for GetTrace, and logged. */
  refuse(batch: Batch, code: RejectionCode, message: string): void {
    this.batchesRejected++;
    this.record.batch(batch, code);
    this.log.batchRejected(this.runId, batch.round, batch.sender, code, message);
  }

  /** Resolves once the general has decided and every batch it sent has been answered. */
  decided(): Promise<Order> {
    return new Promise((resolve) => {
      this.waiters.push(() => resolve(this.run.decision ?? 'RETREAT'));
      this.wakeWaiters();
    });
  }

  private wakeWaiters(): void {
    if (!this.finished || this.pendingSends > 0 || this.crashed) return;
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Stops the deadline timer; the run keeps its state for GetDecision. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private apply(step: Step): void {
    const strategy = formatStrategy(this.run.spec.strategy);
    if (step.lies.length > 0) this.log.lies(this.runId, strategy, step.lies);
    this.record.told(step.lies);
    for (const outcome of step.completed) {
      const now = performance.now();
      const closed = { ...outcome, elapsedMs: now - this.roundStartedAt };
      this.log.roundClosed(this.runId, outcome, closed.elapsedMs);
      this.record.roundClosed(closed);
      this.roundStartedAt = now;
    }
    for (const conclusion of step.concluded ?? []) {
      this.log.kingRound(this.runId, conclusion, this.run.spec.n, this.run.spec.t);
    }
    // A lieutenant starts round r when round r-1 closes, before it relays round r.
    if (step.completed.length > 0 && !this.finished && this.crashIfDue(this.run.round)) return;
    for (const batch of step.outbox) this.deliver(batch);
    if (this.finished) {
      this.finish();
    } else if (step.completed.length > 0 || this.timer === undefined) {
      this.armDeadline();
    }
  }

  private deliver(batch: Batch): void {
    if (this.crashed) return;
    const { round, receiver, values } = batch;
    if (this.faults.dropTo?.includes(receiver)) {
      this.log.fault(this.runId, 'drop', `round ${round} to ${receiver}: ${values.length} value(s) lost`, {
        round,
        to: receiver,
        values: values.length,
      });
      return;
    }
    const delayMs = this.faults.delayMs ?? 0;
    if (delayMs > 0) {
      this.log.fault(this.runId, 'delay', `round ${round} to ${receiver}: held back ${delayMs} ms`, {
        round,
        to: receiver,
        delayMs,
      });
    }
    this.pendingSends++;
    if (round === 0) this.orderSends++;
    const sent =
      delayMs > 0
        ? new Promise<void>((done) => setTimeout(done, delayMs)).then(() =>
            this.crashed ? Promise.reject(new Error('crashed')) : this.send(batch),
          )
        : this.send(batch);
    sent
      .then(
        () => {
          this.rpcsAccepted++;
          if (round === 0) this.ordersAccepted++;
          this.log.batchSent(this.runId, round, receiver, values, undefined, this.forwardedPaths(batch));
        },
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          this.log.batchSent(this.runId, round, receiver, values, reason);
        },
      )
      .finally(() => {
        this.pendingSends--;
        if (round === 0 && --this.orderSends === 0) this.orderSettled();
        // OM's and SM's commander is finished after round 0: its later rounds start once its order is out.
        const at = this.faults.crashRound;
        if (this.run.finished && this.pendingSends === 0 && at !== undefined && at >= 1) this.crashIfDue(at);
        this.wakeWaiters();
      });
  }

  /** Where the run's values get a log line each, a forwarded batch's values with their paths. */
  private forwardedPaths(batch: Batch): (() => readonly Path[]) | undefined {
    const run = this.run;
    if (!this.perValue || run.receiverPaths === undefined) return undefined;
    return () => run.receiverPaths?.(batch) ?? [];
  }

  /** The commander's order is out once every lieutenant has answered it (or failed to). */
  private orderSettled(): void {
    const order = this.run.spec.order;
    if (this.orderAnswered || order === undefined) return;
    this.orderAnswered = true;
    this.log.orderDelivered(this.runId, order, this.ordersAccepted, this.run.spec.n - 1);
  }

  /**
   * Round r ends at the latest (r+1) round deadlines after the general joined: the lock-step
   * schedule of the synchronous model. Timing each round from the end of the one before would let
   * a general that finished a round early (a silent traitor, who awaits no batch from itself)
   * close its next round just as the others, still waiting out the deadline, send to it.
   */
  private armDeadline(): void {
    this.dispose();
    const round = this.run.round;
    const due = this.startedAt + (round + 1) * this.roundTimeoutMs;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.apply(this.run.expire(round));
      },
      Math.max(0, due - performance.now()),
    );
    this.timer.unref();
  }

  private finish(): void {
    this.dispose();
    if (this.finishedAt !== undefined) return;
    this.finishedAt = performance.now();
    const decision = this.run.decision;
    if (decision !== undefined && !this.run.isCommander)
      this.log.decided(this.runId, decision, this.run.tally(), this.elapsedMs);
    this.record.finished();
    this.wakeWaiters();
  }
}
