import type { Order } from '../order.js';
import { COMMANDER, type Path } from '../paths.js';
import { isTraitor, valueToSend } from '../strategy.js';
import { type RoundSlot, Rounds } from './rounds.js';
import { largestBatch, type Schedule } from './schedule.js';
import type { GeneralSpec, PhaseRecord, Step } from './types.js';

export const emptyStep = (): Step => ({ outbox: [], lies: [], completed: [] });

/**
 * One general's life in a lock-step run, shared by every algorithm: on entering a round it sends
 * what the algorithm gives for that round (the schedule says to whom); it closes a round once every
 * batch the schedule expects is in (or the round's deadline passed), lets the algorithm conclude
 * from it, and enters the next; after its last round it decides and is finished. A general with no
 * round to wait on (OM's commander) is finished as soon as it has sent round 0.
 */
export abstract class LockStepRun<S extends RoundSlot> {
  protected readonly rounds: Rounds<S>;
  protected current = 0;
  protected decided: Order | undefined;
  protected lieCount = 0;
  private done = false;
  private readonly lastOwnRound: number;
  private largest: number | undefined;

  constructor(
    readonly spec: GeneralSpec,
    protected readonly schedule: Schedule,
    slot: () => S,
  ) {
    if (spec.id === COMMANDER && spec.order === undefined) {
      throw new RangeError('the commander needs an order to issue');
    }
    this.rounds = new Rounds(spec.id, schedule, slot);
    this.lastOwnRound = schedule.lastRoundOf(spec.id);
  }

  get isCommander(): boolean {
    return this.spec.id === COMMANDER;
  }

  get decision(): Order | undefined {
    return this.decided;
  }

  get finished(): boolean {
    return this.done;
  }

  /** The round this general is waiting on; lastRound+1 once finished. */
  get round(): number {
    return this.current;
  }

  get lastRound(): number {
    return this.schedule.lastRound;
  }

  get largestBatch(): number {
    this.largest ??= largestBatch(this.schedule);
    return this.largest;
  }

  get lies(): number {
    return this.lieCount;
  }

  phases(): readonly PhaseRecord[] {
    return [];
  }

  /** Joins the run: sends round 0 (the commander's order, its decision from now on) and goes on. */
  start(): Step {
    const step = emptyStep();
    if (this.isCommander) this.decided = this.spec.order;
    this.send(step, 0);
    this.advance(step);
    return step;
  }

  /** The deadline of `round` passed: close it if it is still open; what is missing stays missing. */
  expire(round: number): Step {
    const step = emptyStep();
    if (round !== this.current || this.done) return step;
    this.rounds.slot(round).timedOut = true;
    this.closeRound(step, round);
    this.advance(step);
    return step;
  }

  /** Entering `round`: send this round's batches, if the schedule has this general send any. */
  protected abstract send(step: Step, round: number): void;

  /** After the last round: the decision. */
  protected abstract decide(): Order;

  /** `round` just closed: what the algorithm learns from it (nothing, unless it says otherwise). */
  protected concluded(_step: Step, _round: number): void {}

  /** Closes every round that is complete, sending into the next after each, and finishes after the last. */
  protected advance(step: Step): void {
    while (!this.done) {
      if (this.current > this.lastOwnRound) {
        this.finish();
        return;
      }
      if (!this.rounds.slot(this.current).closed) {
        if (!this.rounds.complete(this.current)) return;
        this.closeRound(step, this.current);
      }
      const next = this.current + 1;
      if (next > this.lastOwnRound) {
        this.finish();
        return;
      }
      this.send(step, next);
      this.current = next;
    }
  }

  private closeRound(step: Step, round: number): void {
    step.completed.push(this.rounds.close(round));
    this.concluded(step, round);
  }

  private finish(): void {
    if (this.decided === undefined) this.decided = this.decide();
    this.current = this.schedule.lastRound + 1;
    this.done = true;
  }

  /**
   * What this general's strategy sends where a loyal general would send `before` (undefined:
   * nothing); a departure is recorded in `step` as a lie about `path`.
   */
  protected told(
    step: Step,
    at: { readonly round: number; readonly receiver: number; readonly index: number },
    before: Order,
    path: () => Path,
  ): Order | undefined {
    const { strategy, id } = this.spec;
    if (!isTraitor(strategy)) return before;
    const after = valueToSend(strategy, before, { sender: id, ...at });
    if (after !== before) {
      this.lieCount++;
      step.lies.push({ round: at.round, receiver: at.receiver, path: path(), before, after });
    }
    return after;
  }
}
